using Expert.Host.Grpc;

namespace Expert.Host.Tests;

/// <summary>A full disk under the map storage answers RESOURCE_EXHAUSTED (retry later), not INTERNAL: the error the OS really gives is recognised.</summary>
public sealed class DiskFullTests
{
    [Fact]
    public void The_error_of_writing_to_a_full_device_is_recognised_as_a_full_disk()
    {
        IOException full = Assert.ThrowsAny<IOException>(() =>
        {
            using var stream = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            stream.Write(new byte[16]);
            stream.Flush(flushToDisk: true);
        });

        Assert.True(ErrorMappingInterceptor.IsDiskFull(full), $"{full.HResult}: {full.Message}");
        Assert.False(ErrorMappingInterceptor.IsDiskFull(new IOException("The pipe broke.")));
        Assert.False(ErrorMappingInterceptor.IsDiskFull(new FileNotFoundException("gone", "log.bin")));
    }
}
