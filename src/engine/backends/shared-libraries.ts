// Looks for the native pieces GPU backends need (CUDA/cuDNN for tfjs-node-gpu, the Vulkan loader and a driver
// ICD for Dawn), so that "no GPU" comes with the missing piece named instead of a bare failure.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where ldconfig might live; containers often lack /sbin on PATH. */
const LDCONFIG_PATHS = ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig'];

/** `ldconfig -p` as `soname → path`; empty when ldconfig is absent (non-glibc, macOS). */
export function sharedLibraryCache(): Map<string, string> {
  for (const ldconfig of LDCONFIG_PATHS) {
    try {
      const text = execFileSync(ldconfig, ['-p'], {
        encoding: 'utf8',
        timeout: 5000,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const cache = new Map<string, string>();
      for (const line of text.split('\n')) {
        const match = /^\s*(\S+)\s.*=>\s*(\S+)\s*$/.exec(line);
        if (match && !cache.has(match[1])) cache.set(match[1], match[2]);
      }
      return cache;
    } catch {
      // try the next location
    }
  }
  return new Map();
}

/** The path of a shared library by soname: LD_LIBRARY_PATH first (as the dynamic loader does), then ldconfig. */
export function findSharedLibrary(soname: string, cache: Map<string, string> = sharedLibraryCache()): string | null {
  for (const dir of (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(join(dir, soname))) return join(dir, soname);
  }
  return cache.get(soname) ?? null;
}

/** The first soname of `candidates` that is found, with its path (e.g. libcudart.so.11.0 or libcudart.so.11). */
export function findAnySharedLibrary(
  candidates: readonly string[],
  cache: Map<string, string>,
): { soname: string; path: string } | null {
  for (const soname of candidates) {
    const path = findSharedLibrary(soname, cache);
    if (path !== null) return { soname, path };
  }
  return null;
}

/**
 * Vulkan driver manifests the loader would read: VK_DRIVER_FILES / VK_ICD_FILENAMES when set (files or
 * folders), otherwise the XDG search path the loader documents.
 */
export function vulkanIcdFiles(): string[] {
  const explicit = process.env.VK_DRIVER_FILES ?? process.env.VK_ICD_FILENAMES;
  if (explicit !== undefined && explicit !== '') {
    return explicit
      .split(':')
      .filter(Boolean)
      .flatMap((entry) => (entry.endsWith('.json') ? (existsSync(entry) ? [entry] : []) : jsonFilesIn(entry)));
  }
  const config = (process.env.XDG_CONFIG_DIRS ?? '/etc/xdg').split(':');
  const data = (process.env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':');
  const dirs = [...config, '/etc', join(homedir(), '.local/share'), ...data].map((d) => join(d, 'vulkan', 'icd.d'));
  return [...new Set(dirs)].flatMap(jsonFilesIn);
}

function jsonFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** lavapipe, SwiftShader: Vulkan on the CPU, slower than wasm for this work. */
export function isSoftwareIcd(path: string): boolean {
  return /lvp|lavapipe|swiftshader|llvmpipe/i.test(path);
}

/** GPU device nodes visible in this container (NVIDIA or DRM render nodes). */
export function gpuDeviceNodes(): string[] {
  const nvidia = ['/dev/nvidia0', '/dev/nvidiactl'].filter((p) => existsSync(p));
  let render: string[] = [];
  try {
    render = readdirSync('/dev/dri')
      .filter((n) => n.startsWith('renderD'))
      .map((n) => `/dev/dri/${n}`);
  } catch {
    // no DRM devices
  }
  return [...nvidia, ...render];
}
