namespace Steve2.Pipeline.Environment;

/// <summary>
/// The skill library: the code actions an agent can call. One code action is one iteration of a task.
/// Each has one line of code text (<see cref="ToCode"/>, e.g. <c>moveTo(12, 64, -3)</c>) that
/// <see cref="CodeActionSyntax"/> parses back; text actions written by a language model or the student
/// are mapped to code actions through that syntax. Rules of each action (reach, tools, limits) are in
/// ACTIONS.md beside this file.
/// </summary>
public abstract record CodeAction
{
    /// <summary>The most blocks of horizontal movement one action may cover (the exploration rule of the tasks).</summary>
    public const int MaxMoveBlocks = 50;

    /// <summary>The most steps (blocks along the way) one digging action (digDown, staircase, tunnel) may dig (ACTIONS.md, "Digging").</summary>
    public const int MaxDigSteps = 20;

    public abstract string ToCode();
    public sealed override string ToString() => ToCode();
}

/// <summary>Walk to a block position by path finding (at most <see cref="CodeAction.MaxMoveBlocks"/> of path).</summary>
public sealed record MoveTo(BlockPos Target) : CodeAction
{
    public override string ToCode() => $"moveTo({Target.X}, {Target.Y}, {Target.Z})";
}

/// <summary>Walk up to <paramref name="Blocks"/> (1..50) blocks in a compass direction, following the terrain.</summary>
public sealed record Explore(Direction Direction, int Blocks) : CodeAction
{
    public override string ToCode() => $"explore({Direction.ToString().ToLowerInvariant()}, {Blocks})";
}

/// <summary>Look toward a direction (yaw, pitch in degrees) without moving: changes what is in view.</summary>
public sealed record LookAt(double Yaw, double Pitch) : CodeAction
{
    public override string ToCode() => FormattableString.Invariant($"lookAt({Yaw:0.#}, {Pitch:0.#})");
}

/// <summary>Break one block within reach; its drop goes to the inventory if the held tools can harvest it.</summary>
public sealed record Mine(BlockPos Target) : CodeAction
{
    public override string ToCode() => $"mine({Target.X}, {Target.Y}, {Target.Z})";
}

/// <summary>Gather up to <paramref name="Count"/> of an item from the nearest sources the agent can see (mining, or from animals), within the movement limit.</summary>
public sealed record Collect(string Item, int Count) : CodeAction
{
    public override string ToCode() => $"collect(\"{Item}\", {Count})";
}

/// <summary>Craft <paramref name="Count"/> times the recipe that makes <paramref name="Item"/>.</summary>
public sealed record Craft(string Item, int Count) : CodeAction
{
    public override string ToCode() => $"craft(\"{Item}\", {Count})";
}

/// <summary>Place one block from the inventory at a position within reach, against a solid neighbour.</summary>
public sealed record Place(string Item, BlockPos Target) : CodeAction
{
    public override string ToCode() => $"place(\"{Item}\", {Target.X}, {Target.Y}, {Target.Z})";
}

/// <summary>Open a chest within reach and take everything in it.</summary>
public sealed record OpenChest(BlockPos Target) : CodeAction
{
    public override string ToCode() => $"openChest({Target.X}, {Target.Y}, {Target.Z})";
}

/// <summary>Do nothing for one iteration (the world goes on: animals move, sounds are made).</summary>
public sealed record Wait() : CodeAction
{
    public override string ToCode() => "wait()";
}

/// <summary>
/// Place <paramref name="Item"/> in every empty cell of the box from <paramref name="From"/> to <paramref name="To"/>
/// (corners included, any order): a line, a layer or a box of at most <see cref="MaxBlocks"/> cells, bottom layer
/// first. Each block still needs one item, a solid neighbour and the reach (ACTIONS.md, "Building actions").
/// </summary>
public sealed record PlaceBox(string Item, BlockPos From, BlockPos To) : CodeAction
{
    /// <summary>The most cells one build action may cover (a stack of 64).</summary>
    public const int MaxBlocks = 64;

    /// <summary>The cells of the box with corners <paramref name="a"/> and <paramref name="b"/> (any order), at most <see cref="int.MaxValue"/>.</summary>
    public static int Cells(BlockPos a, BlockPos b) =>
        (int)Math.Min((long)(Math.Abs(a.X - b.X) + 1) * (Math.Abs(a.Y - b.Y) + 1) * (Math.Abs(a.Z - b.Z) + 1), int.MaxValue);

    public override string ToCode() => $"placeBox(\"{Item}\", {From.X}, {From.Y}, {From.Z}, {To.X}, {To.Y}, {To.Z})";
}

/// <summary>Break every block of the box from <paramref name="From"/> to <paramref name="To"/> (at most <see cref="PlaceBox.MaxBlocks"/> cells), top layer first; each block still needs the tool and the reach.</summary>
public sealed record RemoveBox(BlockPos From, BlockPos To) : CodeAction
{
    public override string ToCode() => $"removeBox({From.X}, {From.Y}, {From.Z}, {To.X}, {To.Y}, {To.Z})";
}

/// <summary>Dig straight down up to <paramref name="Blocks"/> (1..20) blocks, mining the block under the feet and dropping onto the next.</summary>
public sealed record DigDown(int Blocks) : CodeAction
{
    public override string ToCode() => $"digDown({Blocks})";
}

/// <summary>Dig a staircase down <paramref name="Steps"/> (1..20) steps in a cardinal direction: each step mines up to 3 blocks and goes one block forward and one down.</summary>
public sealed record Staircase(Direction Direction, int Steps) : CodeAction
{
    public override string ToCode() => $"staircase({Direction.ToString().ToLowerInvariant()}, {Steps})";
}

/// <summary>Dig a level tunnel, two blocks high, <paramref name="Blocks"/> (1..20) blocks in a cardinal direction, walking along it.</summary>
public sealed record Tunnel(Direction Direction, int Blocks) : CodeAction
{
    public override string ToCode() => $"tunnel({Direction.ToString().ToLowerInvariant()}, {Blocks})";
}
