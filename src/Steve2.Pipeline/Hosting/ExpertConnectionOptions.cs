namespace Steve2.Pipeline.Hosting;

/// <summary>How <see cref="ExpertConnection"/> reaches or starts the expert host.</summary>
public sealed record ExpertConnectionOptions
{
    /// <summary>Deadline of the health check of a host given by address.</summary>
    public TimeSpan HealthDeadline { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long an in-process host may take to load its model and report SERVING.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The API key sent as <c>x-api-key</c> on every call to a host given by address (health check and
    /// every expert call); null sends none. An in-process host listens on loopback and needs none.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// How long opening a connection to a host may take. A replica that is gone for good (its pod replaced under another
    /// address) then fails the call as unreachable in seconds instead of at the call's deadline, so record does not keep
    /// the episode and its retry resolves the replicas again (EVALUATION.md, "Expert outages").
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest message the pipeline's clients receive (map layers and renders can be big).</summary>
    public int MaxReceiveMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Extra configuration of an in-process host, as <c>Section:Key</c> to value (for example
    /// <c>Model:CheckpointPath</c> or <c>Model:Device</c>); it wins over everything else.
    /// </summary>
    public IReadOnlyDictionary<string, string> HostSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Lowest level an in-process host logs at (to standard error). Warnings by default, so progress displays stay readable.</summary>
    public Microsoft.Extensions.Logging.LogLevel HostLogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Warning;
}
