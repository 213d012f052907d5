/**
 * Parsers for /proc/self/cgroup and /proc/self/mountinfo, the two files that
 * say where the process's cgroups are (kernel Documentation/admin-guide/
 * cgroup-v1/cgroups.rst, cgroup-v2.rst, and proc(5) for mountinfo).
 */

/** One line of /proc/self/cgroup: `hierarchy-id:controllers:path`. */
export interface ProcCgroupEntry {
  /** 0 for the unified (v2) hierarchy. */
  hierarchyId: number;
  /** v1 controllers of the hierarchy (`cpu`, `cpuacct`, `name=systemd`); empty for v2. */
  controllers: string[];
  /** The cgroup path relative to the hierarchy's root; may itself contain `:`. */
  path: string;
}

/** Parses /proc/self/cgroup. The path is everything after the second colon, since it may contain colons. */
export function parseProcCgroup(text: string): ProcCgroupEntry[] {
  const entries: ProcCgroupEntry[] = [];
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = first === -1 ? -1 : line.indexOf(':', first + 1);
    if (second === -1) continue;
    const id = line.slice(0, first);
    if (!/^\d+$/.test(id)) continue;
    const controllers = line.slice(first + 1, second);
    entries.push({ hierarchyId: Number(id), controllers: controllers === '' ? [] : controllers.split(','), path: line.slice(second + 1) });
  }
  return entries;
}

/** A cgroup filesystem mount from /proc/self/mountinfo. */
export interface CgroupMount {
  /** `cgroup2` (unified) or `cgroup` (v1). */
  fsType: 'cgroup' | 'cgroup2';
  /** The cgroup this mount shows at its mount point (field 4), e.g. `/` or `/docker/abc`. */
  root: string;
  /** Where it is mounted, e.g. `/sys/fs/cgroup/memory`. */
  mountPoint: string;
  /** v1: the controllers bound to it, from the super options (`rw,cpu,cpuacct`). */
  controllers: string[];
}

/** mountinfo escapes blanks, tabs, newlines and backslashes in paths as octal (`\040`). */
const unescapeOctal = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/**
 * Parses the cgroup mounts of /proc/self/mountinfo: `id parent major:minor
 * root mount-point options [optional fields…] - fstype source super-options`.
 */
export function parseMountinfo(text: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (separator === -1 || fields.length < separator + 3) continue;
    const fsType = fields[separator + 1];
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    const superOptions = fields[separator + 3] ?? '';
    mounts.push({
      fsType,
      root: unescapeOctal(fields[3]!),
      mountPoint: unescapeOctal(fields[4]!),
      controllers: fsType === 'cgroup' ? superOptions.split(',').filter((option) => option !== 'rw' && option !== 'ro') : [],
    });
  }
  return mounts;
}

/**
 * The directories from the cgroup at `path` up to the mount point, own first.
 * The mount shows the hierarchy from `root` down; a path outside it (another
 * cgroup namespace) is read at the mount point, the one place visible.
 */
export function chainOf(mount: Pick<CgroupMount, 'root' | 'mountPoint'>, path: string): string[] {
  const root = mount.root === '/' ? '' : mount.root.replace(/\/+$/, '');
  const inside = path === root || path.startsWith(`${root}/`) ? path.slice(root.length) : '';
  const base = mount.mountPoint.replace(/\/+$/, '');
  let parts = inside.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) parts = []; // a path above the mount's root: only the mount point is visible
  const chain: string[] = [];
  for (let depth = parts.length; depth >= 0; depth--) chain.push([base, ...parts.slice(0, depth)].join('/'));
  return chain;
}
