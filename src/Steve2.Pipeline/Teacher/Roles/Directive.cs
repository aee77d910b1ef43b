using System.Globalization;
using System.Text.RegularExpressions;
using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>The kinds of immediate goal a conductor gives an actor.</summary>
public enum DirectiveKind { GoTo, Explore, Approach, Gather, Craft, Place, Mine, Look, Wait, Open, DigDown, Staircase, Tunnel }

/// <summary>
/// A conductor's immediate goal for one agent, one line of text (TEACHER.md): <c>goto X Y Z</c>,
/// <c>explore DIRECTION</c>, <c>approach X Y Z</c>, <c>gather ITEM N</c>, <c>craft ITEM N</c>,
/// <c>place ITEM X Y Z</c>, <c>mine X Y Z</c>, <c>look X Y Z</c>, <c>open X Y Z</c> (a chest: take its items), <c>wait</c>, and digging: <c>digdown N</c>,
/// <c>staircase DIRECTION N</c>, <c>tunnel DIRECTION N</c>; <c>place</c> and <c>mine</c> may name a
/// box, <c>place ITEM X Y Z X2 Y2 Z2</c> and <c>mine X Y Z X2 Y2 Z2</c> (its far corner is <see cref="To"/>). The actor
/// turns it into a code action, handling reach and the movement limit.
/// </summary>
public sealed partial record Directive(DirectiveKind Kind, BlockPos Target = default, string Item = "", int Count = 0, Direction Direction = Direction.North,
    BlockPos? To = null)
{
    private string Far => To is BlockPos t ? $" {t.X} {t.Y} {t.Z}" : "";

    public string ToText() => Kind switch
    {
        DirectiveKind.GoTo => $"goto {Target.X} {Target.Y} {Target.Z}",
        DirectiveKind.Explore => $"explore {DirectionNames.Name(Direction)}",
        DirectiveKind.Approach => $"approach {Target.X} {Target.Y} {Target.Z}",
        DirectiveKind.Gather => $"gather {Item} {Count}",
        DirectiveKind.Craft => $"craft {Item} {Count}",
        DirectiveKind.Place => $"place {Item} {Target.X} {Target.Y} {Target.Z}{Far}",
        DirectiveKind.Mine => $"mine {Target.X} {Target.Y} {Target.Z}{Far}",
        DirectiveKind.Look => $"look {Target.X} {Target.Y} {Target.Z}",
        DirectiveKind.Open => $"open {Target.X} {Target.Y} {Target.Z}",
        DirectiveKind.DigDown => $"digdown {Count}",
        DirectiveKind.Staircase => $"staircase {DirectionNames.Name(Direction)} {Count}",
        DirectiveKind.Tunnel => $"tunnel {DirectionNames.Name(Direction)} {Count}",
        _ => "wait",
    };

    public override string ToString() => ToText();

    /// <summary>Parses one directive line; on failure <paramref name="error"/> says what was expected.</summary>
    public static bool TryParse(string text, out Directive? directive, out string error)
    {
        directive = null;
        error = "";
        string[] w = text.Trim().Trim('.', '`').Replace(",", " ").Replace("(", " ").Replace(")", " ")
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (w.Length > 0)
        {
            string kind = w[0].ToLowerInvariant();
            bool Pos(int i, out BlockPos p)
            {
                p = default;
                if (w.Length != i + 3) return false;
                if (!Int(w[i], out int x) || !Int(w[i + 1], out int y) || !Int(w[i + 2], out int z)) return false;
                p = new BlockPos(x, y, z);
                return true;
            }
            bool Box(int i, out BlockPos p, out BlockPos q)
            {
                p = q = default;
                if (w.Length != i + 6) return false;
                int[] v = new int[6];
                for (int k = 0; k < 6; k++)
                    if (!Int(w[i + k], out v[k])) return false;
                p = new BlockPos(v[0], v[1], v[2]);
                q = new BlockPos(v[3], v[4], v[5]);
                return true;
            }
            BlockPos t;
            switch (kind)
            {
                case "goto" when Pos(1, out t): directive = new Directive(DirectiveKind.GoTo, t); return true;
                case "approach" when Pos(1, out t): directive = new Directive(DirectiveKind.Approach, t); return true;
                case "mine" when Pos(1, out t): directive = new Directive(DirectiveKind.Mine, t); return true;
                case "look" when Pos(1, out t): directive = new Directive(DirectiveKind.Look, t); return true;
                case "open" when Pos(1, out t): directive = new Directive(DirectiveKind.Open, t); return true;
                case "place" when w.Length == 5 && ItemName().IsMatch(w[1]) && Pos(2, out t):
                    directive = new Directive(DirectiveKind.Place, t, w[1].ToLowerInvariant()); return true;
                case "place" when w.Length == 8 && ItemName().IsMatch(w[1]) && Box(2, out t, out BlockPos far):
                    directive = new Directive(DirectiveKind.Place, t, w[1].ToLowerInvariant(), To: far); return true;
                case "mine" when w.Length == 7 && Box(1, out t, out BlockPos end):
                    directive = new Directive(DirectiveKind.Mine, t, To: end); return true;
                case "explore" when w.Length == 2 && DirectionNames.TryParse(w[1], out Direction d):
                    directive = new Directive(DirectiveKind.Explore, Direction: d); return true;
                case "gather" or "craft" when w.Length == 3 && ItemName().IsMatch(w[1]) && Int(w[2], out int n) && n > 0:
                    directive = new Directive(kind == "gather" ? DirectiveKind.Gather : DirectiveKind.Craft, Item: w[1].ToLowerInvariant(), Count: n); return true;
                case "digdown" when w.Length == 2 && Int(w[1], out int down) && down > 0:
                    directive = new Directive(DirectiveKind.DigDown, Count: down); return true;
                case "staircase" or "tunnel" when w.Length == 3 && DirectionNames.TryParse(w[1], out Direction way) && Int(w[2], out int steps) && steps > 0:
                    directive = new Directive(kind == "staircase" ? DirectiveKind.Staircase : DirectiveKind.Tunnel, Count: steps, Direction: way); return true;
                case "wait" when w.Length == 1: directive = new Directive(DirectiveKind.Wait); return true;
            }
        }
        error = $"'{text.Trim()}' is not a directive; use one of: goto X Y Z | explore DIRECTION | approach X Y Z | gather ITEM N | craft ITEM N | place ITEM X Y Z [X2 Y2 Z2] | mine X Y Z [X2 Y2 Z2] | look X Y Z | open X Y Z | wait | digdown N | staircase DIRECTION N | tunnel DIRECTION N";
        return false;
    }

    /// <summary>The numbers of words a directive with this first word has when it parses (<see cref="TryParse"/>); empty for a word that starts none.</summary>
    public static IReadOnlyList<int> WordCounts(string verb) => verb.ToLowerInvariant() switch
    {
        "wait" => [1],
        "explore" or "digdown" => [2],
        "gather" or "craft" or "staircase" or "tunnel" => [3],
        "goto" or "approach" or "look" or "open" => [4],
        "mine" => [4, 7],
        "place" => [5, 8],
        _ => [],
    };

    /// <summary>
    /// The index of the first word from which every word of a directive with this first word is a whole number
    /// (<c>goto X Y Z</c>: 1; <c>place ITEM X Y Z</c>: 2); null for a word whose directive has none (<c>explore</c>, <c>wait</c>)
    /// or that starts none.
    /// </summary>
    public static int? NumbersFrom(string verb) => verb.ToLowerInvariant() switch
    {
        "goto" or "approach" or "look" or "open" or "mine" or "digdown" => 1,
        "place" or "gather" or "craft" or "staircase" or "tunnel" => 2,
        _ => null,
    };

    private static bool Int(string s, out int value) => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    [GeneratedRegex("^[a-z_]+$", RegexOptions.IgnoreCase)]
    private static partial Regex ItemName();
}
