using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Teacher.Skills;

/// <summary>
/// The skill library as the teacher's roles see it: the code actions (the <see cref="CodeAction"/>
/// records), their one-line syntax for prompts, and the parse of a text action back into a code action
/// through <see cref="CodeActionSyntax"/> (the world's grammar).
/// </summary>
public static class SkillLibrary
{
    /// <summary>The actions an actor may answer with, one per line, as a prompt shows them.</summary>
    public const string Syntax =
        "one code action: moveTo(x, y, z) | explore(direction, blocks<=50) | lookAt(yaw, pitch) | mine(x, y, z) | " +
        "collect(\"item\", count) | craft(\"item\", count) | place(\"item\", x, y, z) | openChest(x, y, z) | wait() | " +
        "digDown(blocks<=20) | staircase(direction, steps<=20) | tunnel(direction, blocks<=20); " +
        "directions: north, northeast, east, southeast, south, southwest, west, northwest";

    /// <summary>Parses a text action; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string text, out CodeAction? action, out string error) => CodeActionSyntax.TryParse(text, out action, out error);
}
