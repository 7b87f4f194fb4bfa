import type { ElementInfo } from '../../protocol';

/**
 * One host's anchors, as a tree: an anchor exists while it holds an element or has children (as in
 * Circuit, an empty anchor disappears). Paths here are the names below the host. Pure: the host keeps
 * it in step with the engine and turns the changes it reports into didChange paths.
 */
export class Namespace {
  private readonly root = new AnchorNode();
  private count = 0;

  /** How many elements the tree holds. */
  get size(): number {
    return this.count;
  }

  get(names: readonly string[]): ElementInfo | null {
    return this.find(names)?.element ?? null;
  }

  /** The children of an anchor (empty when the anchor does not exist), by name. */
  children(names: readonly string[]): ReadonlyMap<string, AnchorNode> {
    return this.find(names)?.children ?? EMPTY;
  }

  /**
   * Attaches (or updates) the element at an anchor, creating missing anchors. Returns the anchors whose
   * element or set of children changed, as name lists.
   */
  attach(names: readonly string[], element: ElementInfo): string[][] {
    const changed: string[][] = [];
    let node = this.root;
    for (let i = 0; i < names.length; i++) {
      let child = node.children.get(names[i]);
      if (!child) {
        child = new AnchorNode();
        node.children.set(names[i], child);
        changed.push(names.slice(0, i));
      }
      node = child;
    }
    if (node.element === null) this.count++;
    if (!sameElement(node.element, element)) changed.push([...names]);
    node.element = element;
    return changed;
  }

  /** Detaches the element at an anchor and removes anchors left empty. Returns the changed anchors. */
  detach(names: readonly string[]): string[][] {
    const trail: AnchorNode[] = [this.root];
    for (const name of names) {
      const next = trail[trail.length - 1].children.get(name);
      if (!next) return [];
      trail.push(next);
    }
    const node = trail[trail.length - 1];
    if (node.element === null) return [];
    node.element = null;
    this.count--;
    const changed: string[][] = [[...names]];
    for (let i = names.length; i > 0 && trail[i].isEmpty(); i--) {
      trail[i - 1].children.delete(names[i - 1]);
      changed.push(names.slice(0, i - 1));
    }
    return changed;
  }

  /** Every element with its names, depth first. */
  *elements(): IterableIterator<[string[], ElementInfo]> {
    const stack: [string[], AnchorNode][] = [[[], this.root]];
    while (stack.length > 0) {
      const [names, node] = stack.pop()!;
      if (node.element) yield [names, node.element];
      for (const [name, child] of node.children) stack.push([[...names, name], child]);
    }
  }

  private find(names: readonly string[]): AnchorNode | undefined {
    let node: AnchorNode | undefined = this.root;
    for (const name of names) {
      node = node.children.get(name);
      if (!node) return undefined;
    }
    return node;
  }
}

export class AnchorNode {
  readonly children = new Map<string, AnchorNode>();
  element: ElementInfo | null = null;

  isEmpty(): boolean {
    return this.element === null && this.children.size === 0;
  }
}

const EMPTY: ReadonlyMap<string, AnchorNode> = new Map();

function sameElement(a: ElementInfo | null, b: ElementInfo): boolean {
  return (
    a !== null &&
    a.id === b.id &&
    a.state === b.state &&
    a.exitCode === b.exitCode &&
    a.name === b.name &&
    a.image === b.image &&
    a.scrub === b.scrub &&
    a.startedAt === b.startedAt &&
    a.finishedAt === b.finishedAt
  );
}
