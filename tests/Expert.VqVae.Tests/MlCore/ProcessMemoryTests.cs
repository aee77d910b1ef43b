using Expert.VqVae.MlCore.Runtime;
using Xunit;

namespace Expert.VqVae.Tests.MlCore;

public sealed class ProcessMemoryTests
{
    [Fact]
    public void Garbage_leaves_the_resident_set_when_memory_is_given_back()
    {
        ProcessMemory.GiveBack();
        Touch(512);
        // 512 MB were resident and are garbage now; the margin (200 MB) leaves room for anything else the process does.
        var (before, after) = ProcessMemory.GiveBack();
        Assert.True(before - after > 200, $"resident {before:F0} MB -> {after:F0} MB");
    }

    private static void Touch(int megabytes)
    {
        var blocks = new byte[megabytes][];
        for (int i = 0; i < megabytes; i++)
        {
            blocks[i] = new byte[1 << 20];
            Array.Fill(blocks[i], (byte)i);
        }
        GC.KeepAlive(blocks);
    }
}
