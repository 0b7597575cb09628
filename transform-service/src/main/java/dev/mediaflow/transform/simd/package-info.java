/**
 * The element-wise hot loops of normalization, histograms and point-cloud validation, in two
 * implementations with bit-for-bit identical results: {@link
 * dev.mediaflow.transform.simd.ScalarKernels} (plain Java) and {@code VectorKernels} (the JDK 17
 * incubator Vector API, {@code jdk.incubator.vector}). {@link
 * dev.mediaflow.transform.simd.Kernels#active()} picks one once per JVM.
 */
package dev.mediaflow.transform.simd;
