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
/// holds it; local servers usually accept any key).
/// </summary>
public sealed record RoleBackendOptions
{
    public static RoleBackendOptions Rules { get; } = new();

    public RoleBackendKind Kind { get; init; } = RoleBackendKind.Rules;
    public Uri? Endpoint { get; init; }
    public string? Model { get; init; }
    public string? ApiKey { get; init; }
    public string ApiKeyVariable { get; init; } = "OPENAI_API_KEY";
    public float Temperature { get; init; } = 0.2f;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public static RoleBackendOptions Chat(Uri endpoint, string model, string? apiKey = null) =>
        new() { Kind = RoleBackendKind.Chat, Endpoint = endpoint, Model = model, ApiKey = apiKey };

    /// <summary>The key to send: <see cref="ApiKey"/>, else the environment variable, else "unused" (local servers).</summary>
    public string ResolveApiKey() => ApiKey ?? System.Environment.GetEnvironmentVariable(ApiKeyVariable) ?? "unused";

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
        if (Timeout <= TimeSpan.Zero)
            throw new ArgumentException($"The {role} chat Timeout must be positive.");
    }
}
