namespace Steve2.Pipeline.Environment;

/// <summary>An animal in a voxel episode: it wanders and makes its sound at random.</summary>
internal sealed class Animal(int id, string kind, BlockPos feet)
{
    public int Id { get; } = id;
    public string Kind { get; } = kind;
    public BlockPos Feet { get; set; } = feet;
    public Vec3 Position => new(Feet.X + 0.5, Feet.Y, Feet.Z + 0.5);
    public SeenEntity AsEntity => new(Id, Kind, Position);

    /// <summary>What killing it yields (item, count range inclusive).</summary>
    public static (string Item, int Min, int Max) Drop(string kind) => kind switch
    {
        "pig" => (Items.Porkchop, 1, 3),
        "cow" => (Items.Beef, 1, 3),
        "sheep" => (Items.Wool, 1, 2),
        "chicken" => (Items.Chicken, 1, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown animal kind"),
    };

    /// <summary>The kind of animal whose drop is <paramref name="item"/>, or null.</summary>
    public static string? KindDropping(string item) => item switch
    {
        Items.Porkchop => "pig",
        Items.Beef => "cow",
        Items.Wool => "sheep",
        Items.Chicken => "chicken",
        _ => null,
    };
}
