using System.Globalization;
using System.Text.Json;

namespace Steve2.Pipeline.Teacher;

/// <summary>
/// A teacher configuration file (JSON, comments and trailing commas allowed; Teacher/TEACHER.md "A teacher
/// configuration file"): per role (<c>manager</c>, <c>conductor</c>, <c>actor</c>) either <c>"rules"</c> or an
/// OpenAI-compatible endpoint (<c>base_url</c>, <c>model</c>, <c>api_key_env</c>, <c>temperature</c>,
/// <c>max_tokens</c>, <c>max_tokens_field</c>, <c>timeout_seconds</c>, <c>retries</c>, <c>backoff_seconds</c>, <c>cooldown_after_failures</c>,
/// <c>cooldown_seconds</c>, <c>images</c>), whose
/// fields may come from a shared <c>default</c> object; and <c>critic_retries</c>. Every mistake throws a
/// <see cref="TeacherConfigException"/> that names the file and the field and says what to write.
/// </summary>
public static class TeacherConfigFile
{
    public const string Rules = "rules";
    public const string Chat = "chat";

    private static readonly string[] TopFields = ["default", "manager", "conductor", "actor", "critic_retries"];
    private static readonly string[] EndpointFields =
        ["backend", "base_url", "model", "api_key_env", "temperature", "max_tokens", "max_tokens_field", "timeout_seconds", "retries", "backoff_seconds", "cooldown_after_failures", "cooldown_seconds", "images"];

    private static readonly JsonDocumentOptions Reading = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads and validates the file.</summary>
    public static TeacherAgentOptions Load(string path)
    {
        if (!File.Exists(path)) throw new TeacherConfigException($"teacher config {path}: the file does not exist.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads and validates a configuration's text; <paramref name="source"/> names it in errors. API keys are read from the environment now.</summary>
    public static TeacherAgentOptions Parse(string json, string source = "(text)")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Reading);
        }
        catch (JsonException e)
        {
            throw new TeacherConfigException($"teacher config {source}: not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}): {e.Message}");
        }
        using (document)
        {
            var reader = new Reader(source);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw reader.Error("", "the file must hold one JSON object, e.g. {\"actor\": \"rules\"}");
            reader.OnlyKnown(root, "", TopFields);
            JsonElement? defaults = null;
            if (root.TryGetProperty("default", out JsonElement d))
            {
                if (d.ValueKind != JsonValueKind.Object) throw reader.Error("default", "must be an object of endpoint fields (base_url, model, ...)");
                reader.OnlyKnown(d, "default", EndpointFields);
                defaults = d;
            }
            var options = new TeacherAgentOptions
            {
                Manager = reader.Role(root, "manager", defaults),
                Conductor = reader.Role(root, "conductor", defaults),
                Actor = reader.Role(root, "actor", defaults),
                MaxRetries = reader.Int(root, "", "critic_retries", 0, 10) ?? new TeacherAgentOptions().MaxRetries,
            };
            try
            {
                return options.Validated();
            }
            catch (ArgumentException e)
            {
                throw new TeacherConfigException($"teacher config {source}: {e.Message}");
            }
        }
    }

    /// <summary>One line per role for logs and reports: "manager: chat qwen2.5vl:7b at http://... (images)", "actor: rules".</summary>
    public static string Describe(TeacherAgentOptions options) => string.Join("; ",
        new[] { ("manager", options.Manager), ("conductor", options.Conductor), ("actor", options.Actor) }.Select(r => $"{r.Item1}: {Describe(r.Item2)}"));

    private static string Describe(RoleBackendOptions o) => o.Kind == RoleBackendKind.Rules
        ? Rules
        : $"chat {o.Model} at {o.Endpoint}{(o.SendImages ? " (images)" : "")}";

    private sealed class Reader(string source)
    {
        public TeacherConfigException Error(string field, string problem) =>
            new($"teacher config {source}: {(field.Length == 0 ? "" : field + " ")}{problem}.");

        public void OnlyKnown(JsonElement obj, string at, IReadOnlyList<string> known)
        {
            foreach (JsonProperty p in obj.EnumerateObject())
                if (!known.Contains(p.Name))
                    throw Error(Path(at, p.Name), $"is not a known field (known{(at.Length == 0 ? "" : " in " + at)}: {string.Join(", ", known)})");
        }

        public RoleBackendOptions Role(JsonElement root, string role, JsonElement? defaults)
        {
            if (!root.TryGetProperty(role, out JsonElement value) || value.ValueKind == JsonValueKind.Null) return RoleBackendOptions.Rules;
            JsonElement? own = null;
            switch (value.ValueKind)
            {
                case JsonValueKind.String when value.GetString() == Rules:
                    return RoleBackendOptions.Rules;
                case JsonValueKind.String when value.GetString() == Chat:
                    if (defaults is null) throw Error(role, "is \"chat\" but there is no \"default\" endpoint object: add one, or give the role its own object");
                    break;
                case JsonValueKind.Object:
                    OnlyKnown(value, role, EndpointFields);
                    own = value;
                    string? backend = Str(value, role, "backend");
                    if (backend == Rules) return RoleBackendOptions.Rules;
                    if (backend is not null and not Chat) throw Error($"{role}.backend", $"must be \"rules\" or \"chat\" (got \"{backend}\")");
                    break;
                default:
                    throw Error(role, $"must be \"rules\", \"chat\" (the default endpoint) or an endpoint object (got {value.GetRawText()})");
            }

            // A field of the role's own object wins over the default's; its error names where it came from.
            (JsonElement Obj, string At)? Find(string name) =>
                own is { } o && o.TryGetProperty(name, out _) ? (o, role)
                : defaults is { } d && d.TryGetProperty(name, out _) ? (d, "default")
                : null;
            T? Get<T>(string name, Func<JsonElement, string, string, T?> read) where T : struct => Find(name) is { } f ? read(f.Obj, f.At, name) : null;
            string? GetStr(string name) => Find(name) is { } f ? Str(f.Obj, f.At, name) : null;

            string baseUrl = GetStr("base_url") ?? throw Error($"{role}.base_url", "is missing (in the role or in default): the endpoint's OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8000/v1 (vLLM)");
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out Uri? endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
                throw Error(Where("base_url") + ".base_url", $"must be an absolute http(s) URL such as http://127.0.0.1:8000/v1 (got \"{baseUrl}\")");
            string model = GetStr("model") is { Length: > 0 } m && !string.IsNullOrWhiteSpace(m)
                ? m : throw Error($"{role}.model", "is missing or empty (in the role or in default): the model name the server lists under GET /v1/models");
            string? keyVariable = GetStr("api_key_env");
            string? key = null;
            if (keyVariable is not null)
            {
                if (keyVariable.Length == 0 || keyVariable.Any(char.IsWhiteSpace))
                    throw Error(Where("api_key_env") + ".api_key_env", $"must be the name of an environment variable (got \"{keyVariable}\"); the key itself never goes in the file");
                key = System.Environment.GetEnvironmentVariable(keyVariable);
                if (string.IsNullOrEmpty(key))
                    throw Error(Where("api_key_env") + ".api_key_env", $"names the environment variable {keyVariable}, which is not set: export it, or leave api_key_env out for a server that needs no key");
            }
            string tokensField = GetStr("max_tokens_field") ?? "max_tokens";
            if (tokensField is not ("max_tokens" or "max_completion_tokens"))
                throw Error(Where("max_tokens_field") + ".max_tokens_field", $"must be \"max_tokens\" (local servers) or \"max_completion_tokens\" (OpenAI's reasoning models) (got \"{tokensField}\")");
            return new RoleBackendOptions
            {
                Kind = RoleBackendKind.Chat,
                Endpoint = endpoint,
                Model = model,
                // A server that needs no key still wants one in the header; none is read from OPENAI_API_KEY unless named.
                ApiKey = key ?? "unused",
                ApiKeyVariable = keyVariable ?? "OPENAI_API_KEY",
                Temperature = (float)(Get("temperature", (o, at, n) => Number(o, at, n, 0, 2)) ?? 0.2),
                MaxTokens = Get("max_tokens", (o, at, n) => Int(o, at, n, 1, 1_000_000)),
                MaxCompletionTokensField = tokensField == "max_completion_tokens",
                Timeout = TimeSpan.FromSeconds(Get("timeout_seconds", (o, at, n) => Number(o, at, n, 0.001, 3600)) ?? 60),
                Retries = Get("retries", (o, at, n) => Int(o, at, n, 0, 10)) ?? 2,
                Backoff = TimeSpan.FromSeconds(Get("backoff_seconds", (o, at, n) => Number(o, at, n, 0, RoleBackendOptions.MaxBackoff.TotalSeconds)) ?? 1),
                CooldownAfterFailures = Get("cooldown_after_failures", (o, at, n) => Int(o, at, n, 0, 1000)) ?? 3,
                Cooldown = TimeSpan.FromSeconds(Get("cooldown_seconds", (o, at, n) => Number(o, at, n, 0, 86_400)) ?? 30),
                SendImages = Get("images", Bool) ?? false,
            };

            string Where(string name) => Find(name)?.At ?? role;
        }

        public string? Str(JsonElement obj, string at, string name)
        {
            if (!obj.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Error(Path(at, name), $"must be a string (got {v.GetRawText()})");
        }

        public int? Int(JsonElement obj, string at, string name, int min, int max)
        {
            if (!obj.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) && i >= min && i <= max) return i;
            throw Error(Path(at, name), $"must be a whole number in {min}..{max} (got {v.GetRawText()})");
        }

        public double? Number(JsonElement obj, string at, string name, double min, double max)
        {
            if (!obj.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double x) && x >= min && x <= max) return x;
            throw Error(Path(at, name), string.Create(CultureInfo.InvariantCulture, $"must be a number in {min}..{max} (got {v.GetRawText()})"));
        }

        public bool? Bool(JsonElement obj, string at, string name)
        {
            if (!obj.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Error(Path(at, name), $"must be true or false (got {v.GetRawText()})");
        }

        private static string Path(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";
    }
}

/// <summary>A teacher configuration file that cannot be used; the message names the file and the field.</summary>
public sealed class TeacherConfigException(string message) : ArgumentException(message);
