using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.World;

/// <summary>
/// The recipe table (simplified Minecraft; BLOCKS.md lists it). Smelting is a recipe whose station is a
/// furnace and that burns one coal per item.
/// </summary>
public static class Recipes
{
    private static readonly Dictionary<string, Recipe> Table = new Recipe[]
    {
        new(Items.OakPlanks, 4, new Dictionary<string, int> { [Items.OakLog] = 1 }, null),
        new(Items.Stick, 4, new Dictionary<string, int> { [Items.OakPlanks] = 2 }, null),
        new(Items.CraftingTable, 1, new Dictionary<string, int> { [Items.OakPlanks] = 4 }, null),
        new(Items.WoodenPickaxe, 1, new Dictionary<string, int> { [Items.OakPlanks] = 3, [Items.Stick] = 2 }, Items.CraftingTable),
        new(Items.StonePickaxe, 1, new Dictionary<string, int> { [Items.Cobblestone] = 3, [Items.Stick] = 2 }, Items.CraftingTable),
        new(Items.IronPickaxe, 1, new Dictionary<string, int> { [Items.IronIngot] = 3, [Items.Stick] = 2 }, Items.CraftingTable),
        new(Items.Furnace, 1, new Dictionary<string, int> { [Items.Cobblestone] = 8 }, Items.CraftingTable),
        new(Items.Torch, 4, new Dictionary<string, int> { [Items.Coal] = 1, [Items.Stick] = 1 }, null),
        new(Items.IronIngot, 1, new Dictionary<string, int> { [Items.RawIron] = 1, [Items.Coal] = 1 }, Items.Furnace),
        new(Items.GoldIngot, 1, new Dictionary<string, int> { [Items.RawGold] = 1, [Items.Coal] = 1 }, Items.Furnace),
        new(Items.Glass, 1, new Dictionary<string, int> { [Items.Sand] = 1, [Items.Coal] = 1 }, Items.Furnace),
        new(Items.Chest, 1, new Dictionary<string, int> { [Items.OakPlanks] = 8 }, Items.CraftingTable),
        new(Items.Ladder, 3, new Dictionary<string, int> { [Items.Stick] = 7 }, Items.CraftingTable),
        new(Items.Bowl, 4, new Dictionary<string, int> { [Items.OakPlanks] = 3 }, Items.CraftingTable),
        new(Items.WoodenAxe, 1, new Dictionary<string, int> { [Items.OakPlanks] = 3, [Items.Stick] = 2 }, Items.CraftingTable),
        new(Items.WoodenShovel, 1, new Dictionary<string, int> { [Items.OakPlanks] = 1, [Items.Stick] = 2 }, Items.CraftingTable),
        new(Items.WoodenSword, 1, new Dictionary<string, int> { [Items.OakPlanks] = 2, [Items.Stick] = 1 }, Items.CraftingTable),
        new(Items.StoneAxe, 1, new Dictionary<string, int> { [Items.Cobblestone] = 3, [Items.Stick] = 2 }, Items.CraftingTable),
        new(Items.StoneShovel, 1, new Dictionary<string, int> { [Items.Cobblestone] = 1, [Items.Stick] = 2 }, Items.CraftingTable),
        new(Items.StoneSword, 1, new Dictionary<string, int> { [Items.Cobblestone] = 2, [Items.Stick] = 1 }, Items.CraftingTable),
    }.ToDictionary(r => r.Output);

    /// <summary>All recipes, by output item.</summary>
    public static IReadOnlyDictionary<string, Recipe> All => Table;

    public static Recipe? For(string item) => Table.GetValueOrDefault(item);

    /// <summary>Why <paramref name="item"/> cannot be crafted (no recipe makes it): the world's refusal, and the critic's before it is played.</summary>
    public static string NoRecipe(string item) => $"no recipe makes \"{item}\"; craftable: {string.Join(", ", Table.Keys)}";

    /// <summary>
    /// An item's recipe depth (BLOCKS.md, "Recipe depth"): 0 for a raw item gathered by hand; a raw item whose blocks
    /// need a pickaxe is one deeper than that pickaxe; a crafted item is one deeper than the deepest of its inputs
    /// and its station. Null for an item that neither a recipe nor a block makes (animal drops, apples, diamonds
    /// count as raw when a block or animal yields them).
    /// </summary>
    public static int? Depth(string item) => Depth(item, 0);

    private static int? Depth(string item, int guard)
    {
        if (guard > 16) return null;
        if (For(item) is { } recipe)
        {
            int deepest = 0;
            foreach (string input in recipe.Inputs.Keys.Concat(recipe.Station is null ? [] : [recipe.Station]))
            {
                if (Depth(input, guard + 1) is not int d) return null;
                deepest = Math.Max(deepest, d);
            }
            return deepest + 1;
        }
        var sources = BlockTable.All.Where(i => i.Drop == item).ToArray();
        if (sources.Length == 0) return Animal.KindDropping(item) is null ? null : 0;
        ToolTier tier = sources.Min(i => i.Tool);
        if (tier == ToolTier.None) return 0;
        return tier == ToolTier.Unbreakable ? null : Depth(BlockTable.PickaxeOf(tier), guard + 1) + 1;
    }

    /// <summary>
    /// Crafts <paramref name="times"/> times the recipe for <paramref name="item"/> in <paramref name="inventory"/>.
    /// On failure nothing changes and <paramref name="message"/> says what is missing.
    /// </summary>
    /// <param name="stationAtHand">Whether a station item (crafting table, furnace) is usable: in the inventory or placed within reach.</param>
    public static bool TryCraft(string item, int times, Inventory inventory, Func<string, bool> stationAtHand, out int made, out string message)
    {
        made = 0;
        if (times < 1 || times > 64)
        {
            message = $"craft count must be 1..64, got {times}";
            return false;
        }
        if (For(item) is not { } recipe)
        {
            message = NoRecipe(item);
            return false;
        }
        var missing = new List<string>();
        if (recipe.Station is { } station && !stationAtHand(station))
            missing.Add($"a {station} (in the inventory{(station == Items.CraftingTable ? " or placed within reach" : "")})");
        foreach (var (input, count) in recipe.Inputs)
        {
            int need = count * times, have = inventory.Count(input);
            if (have < need) missing.Add($"{need - have} {input} (have {have} of {need})");
        }
        if (missing.Count > 0)
        {
            message = $"cannot craft {times} x {item}: missing {string.Join(", ", missing)}";
            return false;
        }
        foreach (var (input, count) in recipe.Inputs) inventory.Remove(input, count * times);
        made = recipe.Count * times;
        inventory.Add(item, made);
        message = $"crafted {made} {item}";
        return true;
    }
}
