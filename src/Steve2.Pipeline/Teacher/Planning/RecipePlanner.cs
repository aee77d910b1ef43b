using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Teacher.Planning;

/// <summary>
/// Plans the next step toward having an item, from the recipe table and the harvest rules (what a
/// Minecraft player knows): craft it when its inputs and station are at hand; else first the missing
/// station, tool or input (depth first); raw items are gathered, with the pickaxe their block needs.
/// </summary>
public static class RecipePlanner
{
    private const int MaxDepth = 8;

    /// <summary>The next directive toward <paramref name="need"/> of <paramref name="item"/>, or null when the inventory already has them.</summary>
    public static Directive? Next(string item, int need, IReadOnlyDictionary<string, int> inventory) => Next(item, need, inventory, 0);

    private static Directive? Next(string item, int need, IReadOnlyDictionary<string, int> inventory, int depth)
    {
        int have = inventory.GetValueOrDefault(item);
        if (have >= need || depth > MaxDepth) return null;
        Recipe? recipe = Recipes.For(item);
        if (recipe is null)
        {
            // A raw item: its sources may need a pickaxe first.
            var sources = BlockTable.All.Where(i => i.Drop == item).ToArray();
            if (sources.Length > 0)
            {
                ToolTier tier = sources.Min(i => i.Tool);
                if (tier > BlockTable.BestTool(inventory))
                {
                    string pickaxe = BlockTable.PickaxeOf(tier);
                    return Next(pickaxe, 1, inventory, depth + 1) ?? new Directive(DirectiveKind.Gather, Item: item, Count: need - have);
                }
            }
            return new Directive(DirectiveKind.Gather, Item: item, Count: Math.Min(need - have, 16));
        }
        int times = (need - have + recipe.Count - 1) / recipe.Count;
        if (recipe.Station is string station && inventory.GetValueOrDefault(station) == 0)
            return Next(station, 1, inventory, depth + 1);
        foreach (var (input, count) in recipe.Inputs)
        {
            int required = count * times;
            if (inventory.GetValueOrDefault(input) < required) return Next(input, required, inventory, depth + 1);
        }
        return new Directive(DirectiveKind.Craft, Item: item, Count: times);
    }
}
