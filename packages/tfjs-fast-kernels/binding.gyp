{
  "targets": [
    {
      "target_name": "dnnl_kernels",
      "sources": ["native/dnnl-kernels.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fexceptions", "-fopenmp", "-ffp-contract=off"],
      "ldflags": ["-fopenmp"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "libraries": ["-ldnnl"]
    }
  ]
}
