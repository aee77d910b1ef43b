namespace Steve2.Pipeline.World;

/// <summary>
/// One recipe: crafting it once consumes <paramref name="Inputs"/> and yields <paramref name="Count"/> of
/// <paramref name="Output"/>. <paramref name="Station"/> is the item that must be at hand (a
/// crafting table or a furnace), or null when the inventory grid is enough.
/// </summary>
public sealed record Recipe(string Output, int Count, IReadOnlyDictionary<string, int> Inputs, string? Station);
