using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>Compass words of the teacher's texts: "north", "northeast" (also "north-east", "ne"), ...</summary>
public static class DirectionNames
{
    public static string Name(Direction d) => d.ToString().ToLowerInvariant();

    public static bool TryParse(string word, out Direction direction)
    {
        string w = word.Trim().ToLowerInvariant().Replace("-", "").Replace("_", "");
        w = w switch { "n" => "north", "ne" => "northeast", "e" => "east", "se" => "southeast", "s" => "south", "sw" => "southwest", "w" => "west", "nw" => "northwest", _ => w };
        return Enum.TryParse(w, ignoreCase: true, out direction) && Enum.IsDefined(direction) && !int.TryParse(w, out _);
    }

    /// <summary>The compass direction (of eight) closest to a horizontal vector (x east, z south).</summary>
    public static Direction Toward(double dx, double dz)
    {
        double angle = Math.Atan2(dx, -dz) * 180 / Math.PI; // 0 north, 90 east
        int sector = (int)Math.Round(((angle % 360) + 360) % 360 / 45) % 8;
        return sector switch
        {
            0 => Direction.North,
            1 => Direction.NorthEast,
            2 => Direction.East,
            3 => Direction.SouthEast,
            4 => Direction.South,
            5 => Direction.SouthWest,
            6 => Direction.West,
            _ => Direction.NorthWest,
        };
    }

    /// <summary>The direction <paramref name="steps"/> eighths of a turn clockwise.</summary>
    public static Direction Turn(Direction d, int steps) => (Direction)((((int)d + steps) % 8 + 8) % 8);
}
