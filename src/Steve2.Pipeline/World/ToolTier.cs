namespace Steve2.Pipeline.World;

/// <summary>The pickaxe a block needs to drop anything: each tier also harvests everything below it.</summary>
public enum ToolTier
{
    None = 0,
    Wood = 1,
    Stone = 2,
    Iron = 3,
    /// <summary>Cannot be mined at all (bedrock).</summary>
    Unbreakable = 99,
}
