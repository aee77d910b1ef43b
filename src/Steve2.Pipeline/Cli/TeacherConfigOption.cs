using System.CommandLine;
using Steve2.Pipeline.Teacher;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>--teacher-config FILE</c> on `eval` and `record`: the teacher's backend per role (rules, or an
/// OpenAI-compatible chat endpoint), read and checked before anything runs (Teacher/TEACHER.md).
/// </summary>
internal static class TeacherConfigOption
{
    public static Option<string?> Create() => new("--teacher-config")
    {
        Description = "Teacher configuration (JSON): per role \"rules\" or an OpenAI-compatible endpoint (base_url, model, api_key_env, " +
                      "temperature, max_tokens, timeout_seconds, retries, images). Default: rules for every role. See Teacher/TEACHER.md.",
    };

    /// <summary>The file's options, or null (the rules everywhere) when the option is not given.</summary>
    public static TeacherAgentOptions? Resolve(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { } path ? TeacherConfigFile.Load(path) : null;
}
