using Google.Rpc;
using Grpc.Core;

namespace Expert.Host.Tests.Infrastructure;

/// <summary>Helpers to read a failed call's status and its google.rpc details.</summary>
public static class Rpc
{
    public static async Task<RpcException> FailsAsync(Func<Task> call)
    {
        return await Assert.ThrowsAsync<RpcException>(call);
    }

    /// <summary>The field names of the BadRequest detail of an INVALID_ARGUMENT.</summary>
    public static IReadOnlyList<string> ViolatedFields(RpcException e)
    {
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Google.Rpc.Status status = e.GetRpcStatus() ?? throw new Xunit.Sdk.XunitException("No google.rpc.Status in the trailers.");
        BadRequest badRequest = status.GetDetail<BadRequest>() ?? throw new Xunit.Sdk.XunitException("No BadRequest detail.");
        return badRequest.FieldViolations.Select(v => v.Field).ToArray();
    }

    /// <summary>Polls until <paramref name="condition"/> holds or fails the test after <paramref name="seconds"/>.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }
}
