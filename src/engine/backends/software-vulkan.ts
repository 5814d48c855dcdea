// Software Vulkan for Dawn: TF.js's real WGSL shaders, compiled and run on the CPU. For checking the WebGPU code
// path on a machine without a GPU (CI, a laptop), never for speed: it is far slower than wasm.
// Tried (2026-11-30, Debian 12): SwiftShader as shipped with Chromium is accepted (a fallback adapter, "SwiftShader
// driver 5.0.0"); Mesa's lavapipe 22.3 is rejected by Dawn ("Vulkan shaderUniform*ArrayDynamicIndexing required").
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Where browsers ship SwiftShader's Vulkan ICD manifest, most likely first. */
export const SWIFTSHADER_ICDS = [
  '/usr/lib/chromium/vk_swiftshader_icd.json', // Debian's `chromium` package (apt-get install chromium libvulkan1)
  '/opt/google/chrome/vk_swiftshader_icd.json', // Google Chrome's .deb/.rpm
] as const;

/** The first SwiftShader ICD manifest present, or null. */
export function findSwiftShaderIcd(candidates: readonly string[] = SWIFTSHADER_ICDS): string | null {
  return candidates.find((path) => existsSync(path)) ?? null;
}

export function isSwiftShaderIcd(path: string): boolean {
  return /swiftshader/i.test(path);
}

/** True when VK_DRIVER_FILES (or the older VK_ICD_FILENAMES) already names a SwiftShader manifest. */
export function swiftShaderSelected(env: NodeJS.ProcessEnv = process.env): boolean {
  const files = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES ?? '';
  return files.split(':').some(isSwiftShaderIcd);
}

/** The environment that points the Vulkan loader (and so Dawn) at one ICD only. */
export function selectIcdCommand(icd: string): string {
  return `VK_DRIVER_FILES=${icd}`;
}

/**
 * Chromium's SwiftShader loads libwayland-client, which prints "error: XDG_RUNTIME_DIR is invalid or not set" twice
 * at every start on a machine without a desktop session. A private, empty runtime folder keeps it quiet; it holds no
 * Wayland socket, so nothing connects anywhere. Only fills the variable when it is unset.
 */
export function ensureRuntimeDir(env: NodeJS.ProcessEnv = process.env): void {
  if (process.platform !== 'linux' || (env.XDG_RUNTIME_DIR ?? '') !== '') return;
  const dir = join(tmpdir(), `sat-bench-runtime-${userInfo().uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  env.XDG_RUNTIME_DIR = dir;
}
