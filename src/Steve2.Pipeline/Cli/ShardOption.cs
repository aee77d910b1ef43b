using System.CommandLine;
using Steve2.Pipeline.Evaluation;

namespace Steve2.Pipeline.Cli;

/// <summary><c>--shard K/N</c> on the rollout commands (eval, record): play only shard K (from 0) of N of the planned episodes (Evaluation/Shard.cs).</summary>
internal static class ShardOption
{
    public const string Name = "--shard";

    public static Option<string?> Create() => new(Name)
    {
        Description = "Play only shard K of N of the planned (task, seed, agent) episodes: K/N with K from 0 (episode i of the plan is shard i % N's). " +
                      "Shards write disjoint files; `steve2 eval merge` joins evaluation shards. A Kubernetes Indexed Job passes its completion index as K.",
    };

    public static Shard Resolve(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { } text ? Shard.Parse(text) : Shard.All;
}
