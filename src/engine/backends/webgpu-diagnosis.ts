// Why Dawn returned no adapter. Dawn only prints its reasons to stderr (e.g. "Couldn't load Vulkan"), so we
// retrace the Linux chain ourselves: Vulkan loader → driver ICD manifest → hardware ICD → GPU device node.
// Each explanation also says whether a software driver (SwiftShader) could run the WebGPU path for a check.
import {
  findSharedLibrary,
  gpuDeviceNodes,
  isSoftwareIcd,
  sharedLibraryCache,
  vulkanIcdFiles,
} from './shared-libraries';
import { findSwiftShaderIcd, isSwiftShaderIcd, selectIcdCommand } from './software-vulkan';

export interface VulkanChain {
  loader: string | null;
  icds: string[];
  deviceNodes: string[];
  /** A SwiftShader ICD manifest on disk (found whether or not the loader would read it), or null. */
  swiftShader: string | null;
}

export function inspectVulkan(): VulkanChain {
  return {
    loader: findSharedLibrary('libvulkan.so.1', sharedLibraryCache()),
    icds: vulkanIcdFiles(),
    deviceNodes: gpuDeviceNodes(),
    swiftShader: findSwiftShaderIcd(),
  };
}

/** How to run the WebGPU path without a GPU: select SwiftShader if it is on disk, else where to get it. */
export function softwareVulkanHint(chain: Pick<VulkanChain, 'swiftShader'>): string {
  return chain.swiftShader !== null
    ? `to check the WebGPU path on the CPU (far slower than wasm), ${selectIcdCommand(chain.swiftShader)} selects SwiftShader with --backend webgpu`
    : 'to check the WebGPU path on the CPU, apt-get install chromium libvulkan1 provides SwiftShader (vk_swiftshader_icd.json)';
}

/** One sentence naming the first missing link, with what to do about it. */
export function explainNoAdapter(chain: VulkanChain = inspectVulkan(), platform: string = process.platform): string {
  if (platform !== 'linux')
    return `Dawn found no WebGPU adapter on ${platform} (Metal/D3D12 driver missing or GPU not visible)`;
  if (chain.loader === null) {
    return (
      'no Vulkan loader: libvulkan.so.1 is not in LD_LIBRARY_PATH or the ldconfig cache ' +
      '(apt-get install libvulkan1, or run through scripts/gpu-run.sh, which ships it)'
    );
  }
  if (chain.icds.length === 0) {
    return (
      `Vulkan loader ${chain.loader} found but no driver ICD manifest (no *.json in */vulkan/icd.d); ` +
      `set VK_DRIVER_FILES to the driver's manifest, e.g. /usr/share/vulkan/icd.d/nvidia_icd.json; ${softwareVulkanHint(chain)}`
    );
  }
  const hardware = chain.icds.filter((path) => !isSoftwareIcd(path));
  if (hardware.length === 0) {
    const swiftShader = chain.icds.filter(isSwiftShaderIcd);
    if (swiftShader.length > 0) {
      return (
        `SwiftShader (${swiftShader.join(', ')}) is selected but Dawn got no adapter from it; ` +
        'check that libvk_swiftshader.so lies beside the manifest'
      );
    }
    return (
      `only a software Vulkan driver is visible (${chain.icds.join(', ')}), and Dawn rejects Mesa's lavapipe ` +
      `("shaderUniform*ArrayDynamicIndexing required"); ${softwareVulkanHint(chain)}`
    );
  }
  if (chain.deviceNodes.length === 0) {
    return (
      `Vulkan driver ${hardware.join(', ')} is installed but no GPU device node (/dev/nvidia0, /dev/dri/renderD*) ` +
      `is visible; in a container, run with --gpus all and NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics; ${softwareVulkanHint(chain)}`
    );
  }
  return (
    `Vulkan driver ${hardware.join(', ')} and ${chain.deviceNodes.join(', ')} are present but Dawn got no adapter; ` +
    "the ICD's library may not match the kernel driver (check with vulkaninfo --summary)"
  );
}
