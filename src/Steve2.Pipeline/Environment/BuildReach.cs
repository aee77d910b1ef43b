namespace Steve2.Pipeline.Environment;

/// <summary>
/// The reach rule of the building actions (placeBox, removeBox; ACTIONS.md): the agent may tower up in its own
/// standing column on temporary scaffolding and take it down again (as a player does), so its eye can be anywhere
/// from its standing height up to the highest level its column is free to; a block is in reach when its nearest
/// point is within the world's reach of the nearest such eye. The agent ends the action where it started.
/// </summary>
public static class BuildReach
{
    /// <summary>
    /// Distance from the nearest eye of a standing column to a block's nearest point: the column stands at
    /// <paramref name="feet"/> and is free up to feet level <paramref name="freeTop"/> (at least feet.Y).
    /// </summary>
    public static double Distance(BlockPos feet, int freeTop, BlockPos block)
    {
        double eyeLow = feet.Y + Pose.EyeHeight, eyeHigh = Math.Max(feet.Y, freeTop) + Pose.EyeHeight;
        double ey = Math.Clamp(block.Y + 0.5, eyeLow, eyeHigh);
        double ex = feet.X + 0.5, ez = feet.Z + 0.5;
        double dx = Math.Max(Math.Max(block.X - ex, 0), ex - (block.X + 1));
        double dy = Math.Max(Math.Max(block.Y - ey, 0), ey - (block.Y + 1));
        double dz = Math.Max(Math.Max(block.Z - ez, 0), ez - (block.Z + 1));
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }

    /// <summary>The highest feet level up to <paramref name="wanted"/> the column at <paramref name="feet"/> is free to (the cells at that level and above it air).</summary>
    public static int FreeTop(Func<BlockPos, Block> blockAt, BlockPos feet, int wanted)
    {
        int top = feet.Y;
        while (top < wanted && blockAt(new BlockPos(feet.X, top + 2, feet.Z)) == Block.Air) top++;
        return top;
    }
}
