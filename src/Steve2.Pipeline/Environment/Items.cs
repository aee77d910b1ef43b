namespace Steve2.Pipeline.Environment;

/// <summary>
/// Item names, Minecraft-style ids in snake_case ("oak_log", "iron_ingot"). Inventories, recipes, task
/// goals and text actions all use these strings; a block's item is its snake_case name
/// (Block.OakLog is "oak_log"). The recipe table is World/Recipes.
/// </summary>
public static class Items
{
    public const string OakLog = "oak_log";
    public const string OakPlanks = "oak_planks";
    public const string Stick = "stick";
    public const string CraftingTable = "crafting_table";
    public const string WoodenPickaxe = "wooden_pickaxe";
    public const string StonePickaxe = "stone_pickaxe";
    public const string IronPickaxe = "iron_pickaxe";
    public const string Cobblestone = "cobblestone";
    public const string Dirt = "dirt";
    public const string Sand = "sand";
    public const string Sandstone = "sandstone";
    public const string Gravel = "gravel";
    public const string Coal = "coal";
    public const string RawIron = "raw_iron";
    public const string IronIngot = "iron_ingot";
    public const string RawGold = "raw_gold";
    public const string GoldIngot = "gold_ingot";
    public const string Diamond = "diamond";
    public const string Furnace = "furnace";
    public const string Torch = "torch";
    public const string Glass = "glass";
    public const string Apple = "apple";
    public const string Wool = "wool";
    public const string Beef = "beef";
    public const string Porkchop = "porkchop";
    public const string Chicken = "chicken";
    public const string Chest = "chest";
    public const string Ladder = "ladder";
    public const string Bowl = "bowl";
    public const string WoodenAxe = "wooden_axe";
    public const string WoodenShovel = "wooden_shovel";
    public const string WoodenSword = "wooden_sword";
    public const string StoneAxe = "stone_axe";
    public const string StoneShovel = "stone_shovel";
    public const string StoneSword = "stone_sword";

    /// <summary>The item a placed block is, and that placing the item makes ("oak_planks" for Block.OakPlanks).</summary>
    public static string OfBlock(Block block) => System.Text.RegularExpressions.Regex.Replace(block.ToString(), "(?<!^)([A-Z])", "_$1").ToLowerInvariant();

    /// <summary>
    /// The items <c>collect</c> gathers (ACTIONS.md): every block's drop and the animals' (porkchop, beef, wool, chicken), in
    /// name order; anything else is crafted. The critic refuses a collect of another name before it is played.
    /// </summary>
    public static IReadOnlyList<string> Collectable { get; } =
        World.BlockTable.All.Select(i => i.Drop).OfType<string>().Concat([Porkchop, Beef, Wool, Chicken]).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>Why <c>collect</c> cannot gather <paramref name="item"/> (not in <see cref="Collectable"/>): the world's refusal, and the critic's before it is played.</summary>
    public static string NotCollectable(string item) =>
        $"no block or animal yields \"{item}\"; collectable: {string.Join(", ", Collectable)} (others are crafted)";

    /// <summary>The block an item places, when it is a placeable block.</summary>
    public static Block? BlockOf(string item)
    {
        foreach (var b in Enum.GetValues<Block>())
            if (b != Block.Air && OfBlock(b) == item) return b;
        return null;
    }
}
