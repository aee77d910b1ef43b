namespace Steve2.Pipeline.Tasks;

/// <summary>The five tasks by stable name, with their default agent counts and budgets (TASKS.md).</summary>
public static class TaskCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["object-search", "block-search", "exploration", "collection", "creation"];

    /// <summary>Tasks beyond the paper's five, chosen by name only (not by "all"): creation with materials (issue 17).</summary>
    public static IReadOnlyList<string> Extra { get; } = [CreationTask.MaterialsName];

    /// <summary>Every task <see cref="Get"/> knows: <see cref="Names"/> and <see cref="Extra"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Names, .. Extra];

    /// <summary>The task with that name; an unknown name throws ArgumentException listing the valid ones.</summary>
    public static ITaskDefinition Get(string name) => name switch
    {
        "object-search" => new ObjectSearchTask(),
        "block-search" => new BlockSearchTask(),
        "exploration" => new ExplorationTask(),
        "collection" => new CollectionTask(),
        "creation" => new CreationTask(),
        CreationTask.MaterialsName => new CreationTask(materials: true),
        _ => throw new ArgumentException($"Unknown task '{name}'. Tasks: {string.Join(", ", All)}.", nameof(name)),
    };
}
