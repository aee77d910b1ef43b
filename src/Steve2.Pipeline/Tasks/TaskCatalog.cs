namespace Steve2.Pipeline.Tasks;

/// <summary>The five tasks by stable name. (Skeleton: the task definitions land with issue 5's teacher branch.)</summary>
public static class TaskCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["object-search", "block-search", "exploration", "collection", "creation"];

    /// <summary>The task with that name; an unknown name throws ArgumentException listing the valid ones.</summary>
    public static ITaskDefinition Get(string name) =>
        throw new ArgumentException($"Unknown task '{name}'. Tasks: {string.Join(", ", Names)}.", nameof(name));
}
