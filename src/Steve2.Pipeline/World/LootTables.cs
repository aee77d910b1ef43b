using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.World;

/// <summary>What the generator puts in chests (WORLD.md lists the tables).</summary>
public static class LootTables
{
    /// <summary>A desert pyramid's treasure: gold, diamonds, iron.</summary>
    public static Dictionary<string, int> Pyramid(SplitMix64 rng) => new()
    {
        [Items.GoldIngot] = rng.Next(2, 6),
        [Items.Diamond] = rng.Next(1, 4),
        [Items.IronIngot] = rng.Next(2, 6),
        [Items.Apple] = rng.Next(1, 3),
    };

    /// <summary>A cave chest: mining supplies.</summary>
    public static Dictionary<string, int> Cave(SplitMix64 rng) => new()
    {
        [Items.Coal] = rng.Next(3, 9),
        [Items.RawIron] = rng.Next(1, 4),
        [Items.Torch] = rng.Next(2, 6),
    };

    /// <summary>A ruin's chest: wood and a little iron.</summary>
    public static Dictionary<string, int> Ruin(SplitMix64 rng) => new()
    {
        [Items.OakPlanks] = rng.Next(4, 12),
        [Items.Stick] = rng.Next(2, 6),
        [Items.IronIngot] = rng.Next(1, 3),
        [Items.Apple] = rng.Next(1, 4),
    };
}
