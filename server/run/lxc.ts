import { formatBytes, minimumMemory, parseMemorySize } from './memory';
import { quoted } from './words';

/** The engine setting an Lxc entry becomes. */
export type LxcTranslation =
  | { setting: 'CpusetCpus'; value: string; flag: '--cpuset-cpus' }
  | { setting: 'CpusetMems'; value: string; flag: '--cpuset-mems' }
  | { setting: 'Memory'; value: number; flag: '--memory' }
  | { setting: 'CpuShares'; value: number; flag: '--cpu-shares' };

/** The LXC keys with a Docker equivalent. */
export const lxcKeys = ['lxc.cgroup.cpuset.cpus', 'lxc.cgroup.cpuset.mems', 'lxc.cgroup.memory.limit_in_bytes', 'lxc.cgroup.cpu.shares'] as const;

const cpuList = /^\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*$/;

/** Translates one `key = value` Lxc entry, or says why it cannot be. */
export function translateLxc(entry: string): LxcTranslation | { error: string } {
  const match = /^\s*([^=\s]+)\s*=\s*(.*?)\s*$/.exec(entry);
  if (!match) return { error: `Lxc entry ${quoted(entry)} is not of the form key = value` };
  const key = match[1]!;
  const value = match[2]!;
  if (value.length === 0) return { error: `Lxc entry ${quoted(entry)} has no value after "="` };
  switch (key) {
    case 'lxc.cgroup.cpuset.cpus':
    case 'lxc.cgroup.cpuset.mems': {
      const list = value.replace(/\s+/g, '');
      if (!cpuList.test(list)) return { error: `Lxc ${key}: ${quoted(value)} is not a list of numbers and ranges such as 0-3,5` };
      return key === 'lxc.cgroup.cpuset.cpus'
        ? { setting: 'CpusetCpus', value: list, flag: '--cpuset-cpus' }
        : { setting: 'CpusetMems', value: list, flag: '--cpuset-mems' };
    }
    case 'lxc.cgroup.memory.limit_in_bytes': {
      const bytes = parseMemorySize(value);
      if (bytes === undefined) return { error: `Lxc ${key}: ${quoted(value)} is not a byte count (e.g. 536870912 or 512M)` };
      if (bytes < minimumMemory) return { error: `Lxc ${key}: Docker's minimum memory limit is 6 MiB (${minimumMemory} bytes); got ${formatBytes(bytes)}` };
      return { setting: 'Memory', value: bytes, flag: '--memory' };
    }
    case 'lxc.cgroup.cpu.shares': {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) return { error: `Lxc ${key}: ${quoted(value)} is not a whole number` };
      return { setting: 'CpuShares', value: Number(value), flag: '--cpu-shares' };
    }
    default:
      return {
        error: `Lxc entry ${quoted(key)} has no Docker equivalent (Docker dropped its LXC driver); only ${lxcKeys.join(', ')} are translated`,
      };
  }
}
