using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Tests.World;

public sealed class NoiseTests
{
    [Fact]
    public void Value_noise_is_bounded_smooth_and_seeded()
    {
        var a = new ValueNoise(1);
        var again = new ValueNoise(1);
        var b = new ValueNoise(2);
        int differ = 0;
        for (int i = 0; i < 2000; i++)
        {
            double x = i * 0.37 - 300, z = i * 0.91 - 100;
            double v = a.Fractal2(x, z, 24, 4);
            Assert.InRange(v, -1, 1);
            Assert.Equal(v, again.Fractal2(x, z, 24, 4));
            Assert.True(Math.Abs(a.Fractal2(x + 0.01, z, 24, 4) - v) < 0.05);
            if (Math.Abs(b.Fractal2(x, z, 24, 4) - v) > 0.05) differ++;
        }
        Assert.True(differ > 1000);
    }

    [Fact]
    public void Random_stream_is_uniform_enough_and_reproducible()
    {
        var r = new SplitMix64(42);
        var s = new SplitMix64(42);
        var buckets = new int[10];
        for (int i = 0; i < 10000; i++)
        {
            int v = r.Next(0, 10);
            Assert.Equal(v, s.Next(0, 10));
            buckets[v]++;
        }
        Assert.All(buckets, n => Assert.InRange(n, 850, 1150));
    }
}
