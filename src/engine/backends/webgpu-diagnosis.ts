// Why Dawn returned no adapter. Dawn only prints its reasons to stderr (e.g. "Couldn't load Vulkan"), so we
// retrace the Linux chain ourselves: Vulkan loader → driver ICD manifest → hardware ICD → GPU device node.
import { findSharedLibrary, gpuDeviceNodes, isSoftwareIcd, sharedLibraryCache, vulkanIcdFiles } from './shared-libraries';

export interface VulkanChain {
  loader: string | null;
  icds: string[];
  deviceNodes: string[];
}

export function inspectVulkan(): VulkanChain {
  return { loader: findSharedLibrary('libvulkan.so.1', sharedLibraryCache()), icds: vulkanIcdFiles(), deviceNodes: gpuDeviceNodes() };
}

/** One sentence naming the first missing link, with what to do about it. */
export function explainNoAdapter(chain: VulkanChain = inspectVulkan(), platform: string = process.platform): string {
  if (platform !== 'linux') return `Dawn found no WebGPU adapter on ${platform} (Metal/D3D12 driver missing or GPU not visible)`;
  if (chain.loader === null) {
    return 'no Vulkan loader: libvulkan.so.1 is not in LD_LIBRARY_PATH or the ldconfig cache '
      + '(apt-get install libvulkan1, or run through scripts/gpu-run.sh, which ships it)';
  }
  if (chain.icds.length === 0) {
    return `Vulkan loader ${chain.loader} found but no driver ICD manifest (no *.json in */vulkan/icd.d); `
      + 'set VK_DRIVER_FILES to the driver\'s manifest, e.g. /usr/share/vulkan/icd.d/nvidia_icd.json';
  }
  const hardware = chain.icds.filter((path) => !isSoftwareIcd(path));
  if (hardware.length === 0) {
    return `only a software Vulkan driver is installed (${chain.icds.join(', ')}); Dawn treats it as a fallback `
      + 'adapter and it would be slower than wasm, so it is refused';
  }
  if (chain.deviceNodes.length === 0) {
    return `Vulkan driver ${hardware.join(', ')} is installed but no GPU device node (/dev/nvidia0, /dev/dri/renderD*) `
      + 'is visible; in a container, run with --gpus all and NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics';
  }
  return `Vulkan driver ${hardware.join(', ')} and ${chain.deviceNodes.join(', ')} are present but Dawn got no adapter; `
    + 'the ICD\'s library may not match the kernel driver (check with vulkaninfo --summary)';
}
