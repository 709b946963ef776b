using System.Runtime.Intrinsics.X86;
using Research.Models.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace Research.Models.Tests.Runtime;

public class MklVendorShimTests
{
    [Theory]
    [InlineData(false, "AuthenticAMD", true, null, true, "not Linux x64")]
    [InlineData(true, "GenuineIntel", true, null, true, "an Intel CPU")]
    [InlineData(true, "HygonGenuine", true, null, true, "a 'HygonGenuine' CPU")]
    [InlineData(true, "AuthenticAMD", false, null, true, "an AMD CPU without AVX-512")]
    [InlineData(true, "AuthenticAMD", true, "0", true, "RESEARCH_MKL_SHIM=0")]
    [InlineData(true, "AuthenticAMD", true, null, false, "libresearch_mkl_shim.so was not built (no C compiler at build time)")]
    public void SaysWhyTheShimDoesNotApply(bool linuxX64, string vendor, bool avx512F, string? environment, bool built, string expected) =>
        Assert.Equal(expected, MklVendorShim.Obstacle(linuxX64, vendor, avx512F, environment, built));

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public void AppliesOnLinuxWithAnAvx512AmdCpu(string? environment) =>
        Assert.Null(MklVendorShim.Obstacle(true, "AuthenticAMD", true, environment, true));

    [Fact]
    public void ReadsTheCpuVendor()
    {
        if (!X86Base.IsSupported)
            return;
        Assert.Contains(MklVendorShim.CpuVendor(), new[] { "GenuineIntel", "AuthenticAMD", "HygonGenuine" });
    }

    /// <summary>Active means the process's global definition of MKL's vendor check is the shim's (Load checks it with dlsym).</summary>
    [Fact]
    public void AppliesExactlyWhereItShouldAndProductsStayExact()
    {
        var applies = MklVendorShim.ObstacleHere() is null;
        Assert.Equal(applies, MklVendorShim.Apply());
        Assert.Contains(applies ? "AVX-512 kernels" : "MKL's own kernel choice", MklVendorShim.Status, StringComparison.Ordinal);
        // Whichever kernels MKL took, a float32 product matches float64 within float32 rounding.
        using var generator = new TorchSharp.torch.Generator(5);
        var a = randn([300, 200], generator: generator);
        var b = randn([200, 500], generator: generator);
        var exact = a.to(ScalarType.Float64).mm(b.to(ScalarType.Float64));
        var error = (a.mm(b).to(ScalarType.Float64) - exact).abs().max().item<double>();
        Assert.True(error < 1e-4, $"max error {error}");
    }
}
