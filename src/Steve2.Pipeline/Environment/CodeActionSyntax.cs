using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Steve2.Pipeline.Environment;

/// <summary>
/// The one-line code text of the code actions: <c>moveTo(12, 64, -3)</c>, <c>explore(north, 30)</c>,
/// <c>lookAt(90, 15)</c>, <c>mine(x, y, z)</c>, <c>collect("oak_log", 4)</c>, <c>craft("stick", 1)</c>,
/// <c>place("cobblestone", x, y, z)</c>, <c>openChest(x, y, z)</c>, <c>wait()</c>,
/// <c>placeBox("oak_planks", x1, y1, z1, x2, y2, z2)</c>, <c>removeBox(x1, y1, z1, x2, y2, z2)</c>, and the digging skills
/// <c>digDown(8)</c>, <c>staircase(north, 20)</c>, <c>tunnel(east, 20)</c>.
/// Parsing is tolerant: action names in any case and with or without underscores (<c>move_to</c>),
/// spaces anywhere, a trailing semicolon, items quoted with " or ' or bare (spaces become underscores),
/// directions by name or abbreviation (<c>north_east</c>, <c>NE</c>), and the count of collect and craft
/// optional (1). <see cref="Format"/> writes the canonical form that parses back to an equal action.
/// </summary>
public static class CodeActionSyntax
{
    private static readonly string[] Known = ["moveTo", "explore", "lookAt", "mine", "collect", "craft", "place", "openChest", "wait", "placeBox", "removeBox", "digDown", "staircase", "tunnel"];

    /// <summary>
    /// How many arguments an action's canonical text has (<see cref="Format"/>: collect and craft with their count), by its
    /// name in any case and with or without underscores; null for a name that is no action.
    /// </summary>
    public static int? Arity(string name) => Arguments(name)?.Count;

    /// <summary>
    /// What each argument of an action's canonical text is (an item, a direction, a number: coordinates, counts, blocks,
    /// angles), in order, by its name as <see cref="Arity"/> reads it; null for a name that is no action.
    /// </summary>
    public static IReadOnlyList<ArgumentKind>? Arguments(string name) => name.Trim().Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "wait" => [],
        "digdown" => [ArgumentKind.Number],
        "lookat" => [ArgumentKind.Number, ArgumentKind.Number],
        "explore" or "staircase" or "tunnel" => [ArgumentKind.Direction, ArgumentKind.Number],
        "collect" or "craft" => [ArgumentKind.Item, ArgumentKind.Number],
        "moveto" or "mine" or "openchest" => [ArgumentKind.Number, ArgumentKind.Number, ArgumentKind.Number],
        "place" => [ArgumentKind.Item, ArgumentKind.Number, ArgumentKind.Number, ArgumentKind.Number],
        "removebox" => [.. Enumerable.Repeat(ArgumentKind.Number, 6)],
        "placebox" => [ArgumentKind.Item, .. Enumerable.Repeat(ArgumentKind.Number, 6)],
        _ => null,
    };

    /// <summary>The canonical code text of an action (same as <see cref="CodeAction.ToCode"/>).</summary>
    public static string Format(CodeAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.ToCode();
    }

    /// <summary>Parses one line of code text, or throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static CodeAction Parse(string text) =>
        TryParse(text, out var action, out var error) ? action : throw new FormatException(error);

    /// <summary>Parses one line of code text; on failure <paramref name="error"/> says what is wrong and what is expected.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CodeAction? action, out string error)
    {
        action = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty code action; expected e.g. moveTo(1, 64, 2)";
            return false;
        }
        var s = text.Trim();
        if (s.EndsWith(';')) s = s[..^1].TrimEnd();
        int open = s.IndexOf('(');
        if (open <= 0 || !s.EndsWith(')'))
        {
            error = $"\"{text.Trim()}\" is not a call: expected name(arguments), e.g. explore(north, 20)";
            return false;
        }
        var name = s[..open].Trim().Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        if (!SplitArguments(s[(open + 1)..^1], out var args, out error)) return false;
        try
        {
            action = name switch
            {
                "moveto" => new MoveTo(Position(args, 0, 3, "moveTo(x, y, z)")),
                "explore" => Explore(args),
                "lookat" => LookAt(args),
                "mine" => new Mine(Position(args, 0, 3, "mine(x, y, z)")),
                "collect" => ItemAndCount(args, "collect(\"item\", count)", (i, c) => new Collect(i, c)),
                "craft" => ItemAndCount(args, "craft(\"item\", count)", (i, c) => new Craft(i, c)),
                "place" => Place(args),
                "openchest" => new OpenChest(Position(args, 0, 3, "openChest(x, y, z)")),
                "placebox" => PlaceBox(args),
                "removebox" => RemoveBox(args),
                "digdown" => DigDown(args),
                "staircase" => DirectionAndCount(args, "staircase(direction, steps)", (d, n) => new Staircase(d, n)),
                "tunnel" => DirectionAndCount(args, "tunnel(direction, blocks)", (d, n) => new Tunnel(d, n)),
                "wait" => args.Count == 0 ? new Wait() : throw new FormatException("wait() takes no arguments"),
                _ => throw new FormatException($"unknown action \"{s[..open].Trim()}\"; known: {string.Join(", ", Known)}"),
            };
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static bool SplitArguments(string inner, out List<string> args, out string error)
    {
        args = [];
        error = "";
        if (string.IsNullOrWhiteSpace(inner)) return true;
        var current = new StringBuilder();
        char quote = '\0';
        foreach (char c in inner)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else current.Append(c);
            }
            else if (c is '"' or '\'') quote = c;
            else if (c == ',')
            {
                args.Add(current.ToString().Trim());
                current.Clear();
            }
            else current.Append(c);
        }
        if (quote != '\0')
        {
            error = $"unclosed quote {quote} in arguments \"{inner}\"";
            return false;
        }
        args.Add(current.ToString().Trim());
        return true;
    }

    private static void Arity(List<string> args, int count, string signature)
    {
        if (args.Count != count) throw new FormatException($"{signature} takes {count} argument{(count == 1 ? "" : "s")}, got {args.Count}");
    }

    private static int Int(string arg, string signature)
    {
        if (int.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) return v;
        if (double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) && Math.Abs(d) < int.MaxValue)
            return (int)Math.Floor(d);
        throw new FormatException($"\"{arg}\" is not an integer in {signature}");
    }

    private static double Number(string arg, string signature) =>
        double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new FormatException($"\"{arg}\" is not a number in {signature}");

    private static BlockPos Position(List<string> args, int first, int arity, string signature)
    {
        Arity(args, arity, signature);
        return new BlockPos(Int(args[first], signature), Int(args[first + 1], signature), Int(args[first + 2], signature));
    }

    private static string Item(string arg, string signature)
    {
        var item = arg.Trim().ToLowerInvariant().Replace(' ', '_').Replace("minecraft:", "", StringComparison.Ordinal);
        if (item.Length == 0) throw new FormatException($"empty item name in {signature}");
        return item;
    }

    private static CodeAction ItemAndCount(List<string> args, string signature, Func<string, int, CodeAction> make)
    {
        if (args.Count is < 1 or > 2) throw new FormatException($"{signature} takes an item and an optional count, got {args.Count} arguments");
        return make(Item(args[0], signature), args.Count == 2 ? Int(args[1], signature) : 1);
    }

    private static CodeAction Place(List<string> args)
    {
        const string signature = "place(\"item\", x, y, z)";
        Arity(args, 4, signature);
        return new Place(Item(args[0], signature), new BlockPos(Int(args[1], signature), Int(args[2], signature), Int(args[3], signature)));
    }

    private static CodeAction PlaceBox(List<string> args)
    {
        const string signature = "placeBox(\"item\", x1, y1, z1, x2, y2, z2)";
        Arity(args, 7, signature);
        return new PlaceBox(Item(args[0], signature), new BlockPos(Int(args[1], signature), Int(args[2], signature), Int(args[3], signature)),
            new BlockPos(Int(args[4], signature), Int(args[5], signature), Int(args[6], signature)));
    }

    private static CodeAction RemoveBox(List<string> args)
    {
        const string signature = "removeBox(x1, y1, z1, x2, y2, z2)";
        Arity(args, 6, signature);
        return new RemoveBox(new BlockPos(Int(args[0], signature), Int(args[1], signature), Int(args[2], signature)),
            new BlockPos(Int(args[3], signature), Int(args[4], signature), Int(args[5], signature)));
    }

    private static CodeAction LookAt(List<string> args)
    {
        const string signature = "lookAt(yaw, pitch)";
        Arity(args, 2, signature);
        return new LookAt(Number(args[0], signature), Number(args[1], signature));
    }

    private static CodeAction Explore(List<string> args)
    {
        const string signature = "explore(direction, blocks)";
        Arity(args, 2, signature);
        return new Explore(ParseDirection(args[0]), Int(args[1], signature));
    }

    private static CodeAction DigDown(List<string> args)
    {
        const string signature = "digDown(blocks)";
        Arity(args, 1, signature);
        return new DigDown(Int(args[0], signature));
    }

    private static CodeAction DirectionAndCount(List<string> args, string signature, Func<Direction, int, CodeAction> make)
    {
        Arity(args, 2, signature);
        return make(ParseDirection(args[0]), Int(args[1], signature));
    }

    /// <summary>A direction by name in any case, with or without separators ("north_east", "North East"), or its abbreviation ("NE").</summary>
    public static Direction ParseDirection(string text)
    {
        var key = new string(text.Where(char.IsLetter).ToArray()).ToLowerInvariant();
        foreach (var d in Enum.GetValues<Direction>())
        {
            var name = d.ToString().ToLowerInvariant();
            var abbreviation = new string(d.ToString().Where(char.IsUpper).ToArray()).ToLowerInvariant();
            if (key == name || key == abbreviation) return d;
        }
        throw new FormatException($"\"{text}\" is not a direction; use north, northeast, east, southeast, south, southwest, west, northwest (or n, ne, e, se, s, sw, w, nw)");
    }
}

/// <summary>What an argument of a code action is (<see cref="CodeActionSyntax.Arguments"/>).</summary>
public enum ArgumentKind
{
    /// <summary>An item's name, quoted (<c>"oak_planks"</c>) or bare.</summary>
    Item,
    /// <summary>A direction's name or abbreviation (<c>north</c>, <c>NE</c>).</summary>
    Direction,
    /// <summary>An integer or a decimal (coordinates, counts, blocks, angles).</summary>
    Number,
}
