using System.Diagnostics;
using TorchSharp;

namespace Research.Experiments.Reporting;

/// <summary>Median wall time of a step after warm-up; waits for the GPU on CUDA so the time is the device's.</summary>
public static class StepTimer
{
    public static double MedianMilliseconds(Action step, int warmup, int repeats, torch.Device device)
    {
        for (var k = 0; k < warmup; k++)
            Timed(step, device);
        return Median.Of(Enumerable.Range(0, repeats).Select(_ => Timed(step, device)).ToArray());
    }

    private static double Timed(Action step, torch.Device device)
    {
        var clock = Stopwatch.StartNew();
        step();
        if (device.type == DeviceType.CUDA)
            torch.cuda.synchronize(device);
        return clock.Elapsed.TotalMilliseconds;
    }
}
