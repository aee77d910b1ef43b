using System.CommandLine;
using Steve2.Pipeline.Hosting;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>--experts-key</c>, the API key for a host given with <c>--experts</c>, beside it on every command that
/// takes one; without it the key comes from STEVE2_EXPERTS_API_KEY (better: it stays out of the process list).
/// </summary>
internal static class ExpertsKeyOption
{
    public static Option<string?> Create() => new("--experts-key")
    {
        Description = $"API key for the host given with --experts (sent as x-api-key); default: the {ExpertConnection.ApiKeyVariable} environment variable.",
    };

    /// <summary>The key given, else the environment's, else null.</summary>
    public static string? Resolve(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { Length: > 0 } key ? key
        : System.Environment.GetEnvironmentVariable(ExpertConnection.ApiKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;
}
