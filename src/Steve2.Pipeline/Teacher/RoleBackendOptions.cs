namespace Steve2.Pipeline.Teacher;

/// <summary>Which backend answers a role.</summary>
public enum RoleBackendKind
{
    /// <summary>The embedded, deterministic rule and search backend (offline).</summary>
    Rules,

    /// <summary>An OpenAI-compatible chat endpoint (Microsoft.Extensions.AI).</summary>
    Chat,
}

/// <summary>
/// The backend of one role. For <see cref="RoleBackendKind.Chat"/>: the endpoint's base address (e.g.
/// http://127.0.0.1:8000/v1), the model name, and the API key (or the name of an environment variable that
/// holds it; local servers usually accept any key); the sampling settings; how a failing call is retried
/// (<see cref="Retries"/> more attempts after timeouts, HTTP 408/429/5xx and refused connections, waiting
/// <see cref="Backoff"/>, doubled each time, or the server's Retry-After); when a failing endpoint is left alone
/// for a while (<see cref="CooldownAfterFailures"/>, <see cref="Cooldown"/>); and whether the agents' views and
/// the experts' pictures are sent as image parts (<see cref="SendImages"/>). Written in a teacher
/// configuration file (Teacher/TEACHER.md, <see cref="TeacherConfigFile"/>).
/// </summary>
public sealed record RoleBackendOptions
{
    public static RoleBackendOptions Rules { get; } = new();

    /// <summary>The longest wait between two attempts, whatever the backoff or the server's Retry-After says.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    public RoleBackendKind Kind { get; init; } = RoleBackendKind.Rules;
    public Uri? Endpoint { get; init; }
    public string? Model { get; init; }
    public string? ApiKey { get; init; }
    public string ApiKeyVariable { get; init; } = "OPENAI_API_KEY";
    public float Temperature { get; init; } = 0.2f;

    /// <summary>The answer's token limit (null: the server's default).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>
    /// Send <see cref="MaxTokens"/> as <c>max_completion_tokens</c> (OpenAI's current name, required by its reasoning
    /// models) instead of <c>max_tokens</c> (the default: every OpenAI-compatible local server reads it; Ollama ignores the other).
    /// </summary>
    public bool MaxCompletionTokensField { get; init; }

    /// <summary>One attempt's time limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Further attempts after a transient failure (timeout, HTTP 408/429/5xx, refused connection).</summary>
    public int Retries { get; init; } = 2;

    /// <summary>The wait before the first retry; doubled before each further one (at most <see cref="MaxBackoff"/>).</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Failed questions in a row (after their retries) that make the backend stop asking for <see cref="Cooldown"/>; 0: never stop.</summary>
    public int CooldownAfterFailures { get; init; } = 3;

    /// <summary>How long the backend does not ask a failing endpoint (the rules answer meanwhile).</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Send the agents' 64x64 views (and the experts' pictures: the creation renders, the map) as PNG image parts.</summary>
    public bool SendImages { get; init; }

    public static RoleBackendOptions Chat(Uri endpoint, string model, string? apiKey = null) =>
        new() { Kind = RoleBackendKind.Chat, Endpoint = endpoint, Model = model, ApiKey = apiKey };

    /// <summary>The key to send: <see cref="ApiKey"/>, else the environment variable, else "unused" (local servers).</summary>
    public string ResolveApiKey() => ApiKey ?? System.Environment.GetEnvironmentVariable(ApiKeyVariable) ?? "unused";

    /// <summary>The wait before retry number <paramref name="retry"/> (0-based): the backoff doubled per retry, capped.</summary>
    public TimeSpan BackoffBefore(int retry) =>
        TimeSpan.FromTicks((long)Math.Min(MaxBackoff.Ticks, Backoff.Ticks * Math.Pow(2, Math.Min(retry, 30))));

    /// <summary>Throws with what to change when the settings cannot work.</summary>
    public void Validate(string role)
    {
        if (Kind != RoleBackendKind.Chat) return;
        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The {role} chat backend needs an absolute http(s) Endpoint such as http://127.0.0.1:8000/v1 (got '{Endpoint}').");
        if (string.IsNullOrWhiteSpace(Model))
            throw new ArgumentException($"The {role} chat backend needs a Model name (as the endpoint lists it under /models).");
        if (Temperature is < 0 or > 2)
            throw new ArgumentException($"The {role} chat Temperature must be in 0..2 (got {Temperature}).");
        if (MaxTokens is < 1 or > 1_000_000)
            throw new ArgumentException($"The {role} chat MaxTokens must be in 1..1000000 or unset (got {MaxTokens}).");
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromHours(1))
            throw new ArgumentException($"The {role} chat Timeout must be positive and at most an hour (got {Timeout}).");
        if (Retries is < 0 or > 10)
            throw new ArgumentException($"The {role} chat Retries must be in 0..10 (got {Retries}).");
        if (CooldownAfterFailures is < 0 or > 1000)
            throw new ArgumentException($"The {role} chat CooldownAfterFailures must be in 0..1000 (got {CooldownAfterFailures}).");
        if (Cooldown < TimeSpan.Zero || Cooldown > TimeSpan.FromHours(24))
            throw new ArgumentException($"The {role} chat Cooldown must be in 0..24 h (got {Cooldown}).");
        if (Backoff < TimeSpan.Zero || Backoff > MaxBackoff)
            throw new ArgumentException($"The {role} chat Backoff must be in 0..{MaxBackoff.TotalSeconds:0} s (got {Backoff.TotalSeconds} s).");
    }
}
