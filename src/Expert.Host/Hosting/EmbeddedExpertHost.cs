using System.Globalization;
using Expert.Host.Model;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Expert.Host.Hosting;

/// <summary>
/// The expert host inside another process: the one public type of Expert.Host meant for embedding, so
/// that what another project may use of the host is this file (everything else in the assembly is
/// internal; its own tests see it through InternalsVisibleTo). The pipeline starts the experts through
/// it when it is given no expert address (Steve2.Pipeline/Hosting/InProcessExpertHost.cs), and a test
/// hands it to <c>WebApplicationFactory&lt;EmbeddedExpertHost&gt;</c> to find the host's entry point.
/// The app is built by <see cref="ExpertHostApp"/>, exactly as <c>dotnet Expert.Host.dll</c> builds it.
/// </summary>
public sealed class EmbeddedExpertHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private string? _address;
    private bool _started;

    private EmbeddedExpertHost(WebApplication app) => _app = app;

    /// <summary>
    /// Builds the host (nothing listens until <see cref="StartAsync"/>). <paramref name="settings"/> are
    /// configuration keys and values as the host's command line takes them (<c>urls</c>,
    /// <c>Map:DataDirectory</c>, <c>Model:CheckpointPath</c>, ...; README's Options), winning over
    /// appsettings.json and the environment; <paramref name="contentRoot"/> is the folder that holds
    /// appsettings.json and the checkpoint. Bad options throw OptionsValidationException at start.
    /// </summary>
    public static EmbeddedExpertHost Build(IEnumerable<KeyValuePair<string, string>> settings, string contentRoot)
    {
        string[] args = settings.Select(s => string.Create(CultureInfo.InvariantCulture, $"--{s.Key}={s.Value}")).ToArray();
        return new EmbeddedExpertHost(ExpertHostApp.Build(new WebApplicationOptions { Args = args, ContentRootPath = contentRoot }));
    }

    /// <summary>The address Kestrel listens on (for <c>urls=http://127.0.0.1:0</c>, with the port the system picked); set by <see cref="StartAsync"/>.</summary>
    public string Address => _address ?? throw new InvalidOperationException("The expert host has not started.");

    /// <summary>True once the model failed to load: the host stays NOT_SERVING, and <see cref="ModelStatus"/> says why.</summary>
    public bool ModelFailed => Model(_app.Services).State == ModelState.Failed;

    /// <summary>What the host tells callers about its model: loading, serving (version and device), or why the load failed.</summary>
    public string ModelStatus => Model(_app.Services).StatusMessage;

    /// <summary>
    /// Starts the host on the one address configured and reads it back into <see cref="Address"/>; the
    /// model then loads in the background (grpc.health.v1 answers NOT_SERVING until it is loaded).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken);
        _started = true;
        IServerAddressesFeature addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel reports no address.");
        _address = addresses.Addresses.Single();
    }

    /// <summary>
    /// Completes once the model of the host whose services these are has loaded; faults if the load
    /// failed. For hosts built by a <c>WebApplicationFactory&lt;EmbeddedExpertHost&gt;</c>, whose
    /// <c>Services</c> are the host's.
    /// </summary>
    public static Task WhenModelLoaded(IServiceProvider services) => Model(services).WhenLoaded;

    /// <summary>Stops the host if it started, then releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_started) await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private static ModelHolder Model(IServiceProvider services) => services.GetRequiredService<ModelHolder>();
}
