/** Diagnostics of a Run spec: the Run validator's problems as LSP diagnostics (source `circuit`). */
import { Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ProblemData, ProblemSeverity, RunProblem, validateRunText } from '../run/validate';
import { spanRange } from './document';
import { SpecFacts } from './facts';

export const diagnosticSource = 'circuit';

const severities: Record<ProblemSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

/** Diagnostic.data of a spec diagnostic: what a quick fix needs. */
export type SpecDiagnosticData = ProblemData;

/** Most diagnostics published for one spec: the first ones in document order (an editor shows no more usefully). */
export const maxDiagnostics = 1000;

/** The problems of a spec, with host-dependent checks from the facts (when a target host is known). */
export function specDiagnostics(doc: TextDocument, facts?: SpecFacts): Diagnostic[] {
  return validateRunText(doc.getText(), facts)
    .slice(0, maxDiagnostics)
    .map((p) => toDiagnostic(doc, p));
}

function toDiagnostic(doc: TextDocument, problem: RunProblem): Diagnostic {
  const diagnostic: Diagnostic = {
    range: spanRange(doc, problem.offset, problem.length),
    severity: severities[problem.severity],
    source: diagnosticSource,
    code: problem.code,
    message: problem.message,
  };
  if (problem.code === 'env-duplicate') diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (problem.data !== undefined) diagnostic.data = problem.data;
  return diagnostic;
}
