using Expert.Host.Hosting;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Options;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Steve2.Pipeline.Hosting;

/// <summary>
/// The expert host (Expert.Host, through its embedding entry point <see cref="EmbeddedExpertHost"/>)
/// running inside the pipeline's process on a real loopback socket: 127.0.0.1, a port the system picks,
/// HTTP/2 without TLS. Its map data goes to a fresh temporary folder that is deleted when the host stops.
/// </summary>
internal sealed class InProcessExpertHost : IAsyncDisposable
{
    private readonly EmbeddedExpertHost _host;
    private readonly string _dataDirectory;

    private InProcessExpertHost(EmbeddedExpertHost host, string dataDirectory)
    {
        _host = host;
        _dataDirectory = dataDirectory;
    }

    public string Address => _host.Address;

    public static async Task<InProcessExpertHost> StartAsync(ExpertConnectionOptions options, CancellationToken cancellationToken)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), $"steve2-experts-{System.Environment.ProcessId}-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Kestrel:EndpointDefaults:Protocols"] = "Http2",
            ["Map:DataDirectory"] = dataDirectory,
            // The voxel world's hearing model (OBSERVATIONS.md): loudness = 1 - distance / 64.
            ["Map:SoundHearingRadius"] = "64",
            ["Logging:LogLevel:Default"] = options.HostLogLevel.ToString(),
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
        };
        foreach ((string key, string value) in options.HostSettings) settings[key] = value;

        EmbeddedExpertHost? host = null;
        try
        {
            host = EmbeddedExpertHost.Build(settings, contentRoot: AppContext.BaseDirectory);
            await host.StartAsync(cancellationToken);
            return new InProcessExpertHost(host, dataDirectory);
        }
        catch (Exception e) when (e is OptionsValidationException or IOException or InvalidOperationException)
        {
            if (host is not null) await host.DisposeAsync();
            DeleteQuietly(dataDirectory);
            throw new ExpertHostUnavailableException(
                $"the in-process expert host did not start: {e.Message} Fix that, or start a host with " +
                $"`{ExpertConnection.StartHostCommand}` and pass its address with --experts.", e);
        }
    }

    /// <summary>Polls grpc.health.v1 until SERVING; a failed model load or the timeout ends the wait with a clear error.</summary>
    public async Task WaitUntilServingAsync(HealthClient health, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime giveUp = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_host.ModelFailed)
            {
                throw new ExpertHostUnavailableException(
                    $"the in-process expert host cannot serve: {_host.ModelStatus} Set Model:CheckpointPath to a checkpoint " +
                    $"written by `vqvae train`, or start a host with `{ExpertConnection.StartHostCommand}` and pass --experts.");
            }
            try
            {
                HealthCheckResponse response = await health.CheckAsync(new HealthCheckRequest(),
                    deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                if (response.Status == ServingStatus.Serving) return;
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not answering yet: try again until the timeout.
            }
            if (DateTime.UtcNow > giveUp)
            {
                throw new ExpertHostUnavailableException(
                    $"the in-process expert host at {Address} was not SERVING after {timeout.TotalSeconds:F0} s ({_host.ModelStatus}): " +
                    $"retry, or start a host with `{ExpertConnection.StartHostCommand}` and pass --experts.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.DisposeAsync();
        }
        finally
        {
            DeleteQuietly(_dataDirectory);
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder that cannot be removed now is left to the system's cleaner.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
