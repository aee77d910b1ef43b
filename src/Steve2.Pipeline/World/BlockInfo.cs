using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.World;

/// <summary>
/// The properties of one block type (BLOCKS.md lists them all).
/// </summary>
/// <param name="Block">The block.</param>
/// <param name="R">Red of the block's colour in renders.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
/// <param name="Hardness">Minecraft-like hardness (informative; mining is one action whatever the hardness), -1 for unbreakable.</param>
/// <param name="Tool">The pickaxe tier needed to harvest it.</param>
/// <param name="Drop">The item the block drops when harvested, or null for nothing.</param>
/// <param name="Solid">Whether agents and animals can stand on it and cannot walk through it.</param>
public sealed record BlockInfo(Block Block, byte R, byte G, byte B, double Hardness, ToolTier Tool, string? Drop, bool Solid);
