using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Tests.Trajectories;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>Decoding within the answer's grammar: the tokens no parse accepts are never picked, and nothing else is taken away.</summary>
[Collection(StudentCollection.Name)]
public sealed class AnswerGrammarTests
{
    private static readonly string[] Vocabulary =
        ["<eos>", "placeBox", "(\"", "stone", "\",", " 1", ",", " -", "3", ")", "),", " 2", "place", " stone", "wait", " wait", "moveTo", "()", ", 4)"];

    private static HashSet<string> Allowed(string role, string written, string[]? vocabulary = null)
    {
        vocabulary ??= Vocabulary;
        var grammar = new AnswerGrammar(0, vocabulary);
        var logits = new float[vocabulary.Length];
        grammar.Ban(role, written, logits);
        return Enumerable.Range(0, vocabulary.Length).Where(t => !float.IsNegativeInfinity(logits[t])).Select(t => vocabulary[t]).ToHashSet();
    }

    /// <summary>
    /// Catches: an actor's call written with a number too many or too few (8 % of the shipped student's held-out creation
    /// actor answers: <c>placeBox("sandstone", -11, 56, 10, 2, 56, 56, 13)</c>), or a directive ended a word short.
    /// </summary>
    [Fact]
    public void A_call_takes_its_arguments_and_a_directive_its_words_and_nothing_else_is_refused()
    {
        // placeBox takes 7 arguments (6 commas): with 5 written a comma may come, the close may not, nor the end.
        var five = Allowed("actor", "placeBox(\"stone\", 1, 2, -3, 1, 2");
        Assert.Contains(",", five);
        Assert.Contains("3", five);           // the number may go on; a second number in it (" 1") may not
        Assert.DoesNotContain(" 1", five);
        Assert.DoesNotContain(")", five);
        Assert.DoesNotContain("),", five);
        Assert.DoesNotContain("<eos>", five);
        Assert.Contains(", 4)", five);        // the sixth comma and the close in one token: exactly right
        // With 6 commas: the close, not another comma; "), " (a close then a comma) closes at the right count too.
        var six = Allowed("actor", "placeBox(\"stone\", 1, 2, -3, 1, 2, -3");
        Assert.Contains(")", six);
        Assert.DoesNotContain(",", six);
        Assert.DoesNotContain(", 4)", six);
        Assert.Contains("3", six);            // a number may go on
        // Closed: only the end.
        Assert.Equal(["<eos>"], Allowed("actor", "placeBox(\"stone\", 1, 2, -3, 1, 2, -3)"));
        Assert.Equal(["<eos>"], Allowed("actor", "wait()"));
        // wait takes none: its close right away; no call yet: anything but the end.
        Assert.Contains("()", Allowed("actor", "wait"));
        Assert.DoesNotContain("<eos>", Allowed("actor", "wait"));
        Assert.DoesNotContain(",", Allowed("actor", "wait("));
        // An unknown name is left to the parser.
        Assert.Contains(")", Allowed("actor", "fly(1"));

        // place takes 5 or 8 words: 7 cannot end, 8 can; no ninth word, but a number may go on in its last word.
        var seven = Allowed("conductor", "place stone 4 44 -6 7 47");
        Assert.DoesNotContain("<eos>", seven);
        Assert.Contains(" 1", seven);
        var eight = Allowed("conductor", "place stone 4 44 -6 7 47 -6");
        Assert.Contains("<eos>", eight);
        Assert.Contains("3", eight);
        Assert.DoesNotContain(" 1", eight);
        Assert.DoesNotContain(" -", eight);
        Assert.Contains("<eos>", Allowed("conductor", "place stone 4 44 -6"));
        Assert.Contains("<eos>", Allowed("conductor", "wait"));
        Assert.DoesNotContain(" wait", Allowed("conductor", "wait"));
        // The manager's plans are not constrained.
        Assert.Equal(Vocabulary.Length, Allowed("manager", "agent 0: build").Count);
    }

    /// <summary>One code action of every kind at <paramref name="at"/> (a decimal angle, a northwest tunnel among them).</summary>
    private static CodeAction[] EveryAction(BlockPos at) =>
    [
        new MoveTo(at), new Explore(Direction.North, 20), new LookAt(90, 15.5), new Mine(at), new Collect("oak_log", 4), new Craft("stick", 1),
        new Place("stone", at), new OpenChest(at), new Wait(), new PlaceBox("stone", at, at with { X = 7 }), new RemoveBox(at, at with { Y = 47 }),
        new DigDown(8), new Staircase(Direction.East, 20), new Tunnel(Direction.NorthWest, 20),
    ];

    /// <summary>One directive of every kind (both forms of place and mine) at <paramref name="at"/>.</summary>
    private static Directive[] EveryDirective(BlockPos at) =>
    [
        new(DirectiveKind.GoTo, at), new(DirectiveKind.Explore, Direction: Direction.South), new(DirectiveKind.Approach, at),
        new(DirectiveKind.Gather, Item: "oak_log", Count: 14), new(DirectiveKind.Craft, Item: "stone_pickaxe", Count: 1),
        new(DirectiveKind.Place, at, "stone"), new(DirectiveKind.Place, at, "glass", To: at with { X = at.X + 13 }), new(DirectiveKind.Mine, at),
        new(DirectiveKind.Mine, at, To: at with { Y = 47 }), new(DirectiveKind.Look, at), new(DirectiveKind.Open, at), new(DirectiveKind.Wait),
        new(DirectiveKind.DigDown, Count: 8), new(DirectiveKind.Staircase, Count: 20, Direction: Direction.East), new(DirectiveKind.Tunnel, Count: 20, Direction: Direction.NorthWest),
    ];

    /// <summary>
    /// Catches: the grammar's tables drifting from the parsers they stand for (an action or directive added, an argument
    /// changed): every canonical code action has <see cref="CodeActionSyntax.Arity"/> arguments and every directive's text
    /// one of <see cref="Directive.WordCounts"/> words, and both parse back.
    /// </summary>
    [Fact]
    public void The_grammars_counts_are_the_parsers()
    {
        var at = new BlockPos(4, 44, -6);
        CodeAction[] actions = EveryAction(at);
        Assert.Equal(14, actions.Select(a => a.GetType()).Distinct().Count());   // every action
        foreach (CodeAction a in actions)
        {
            string code = a.ToCode();
            Assert.True(CodeActionSyntax.TryParse(code, out _, out string error), $"{code}: {error}");
            string inside = code[(code.IndexOf('(') + 1)..code.LastIndexOf(')')];
            int arguments = inside.Trim().Length == 0 ? 0 : inside.Count(c => c == ',') + 1;
            Assert.Equal(arguments, CodeActionSyntax.Arity(code[..code.IndexOf('(')]));
            // The kinds the grammar holds the arguments to are the parser's: numbers parse as numbers, directions as
            // directions, and an item is neither.
            string[] parts = inside.Trim().Length == 0 ? [] : inside.Split(',');
            var kinds = CodeActionSyntax.Arguments(code[..code.IndexOf('(')])!;
            for (int i = 0; i < parts.Length; i++)
            {
                bool number = double.TryParse(parts[i], System.Globalization.CultureInfo.InvariantCulture, out _);
                bool direction = Enum.GetNames<Direction>().Any(n => string.Equals(n, parts[i].Trim(), StringComparison.OrdinalIgnoreCase));
                Assert.True(kinds[i] switch { ArgumentKind.Number => number, ArgumentKind.Direction => direction, _ => !number && !direction }, $"{code}: argument {i}");
            }
        }
        Directive[] directives = EveryDirective(at);
        Assert.Equal(Enum.GetValues<DirectiveKind>().Length, directives.Select(d => d.Kind).Distinct().Count());   // every kind
        foreach (Directive d in directives)
        {
            string[] words = d.ToText().Split(' ');
            Assert.True(Directive.TryParse(d.ToText(), out _, out _), d.ToText());
            Assert.Contains(words.Length, Directive.WordCounts(words[0]));
            // The numbers the grammar holds to digits are exactly the directive's numbers: every word from NumbersFrom on,
            // and none before it.
            int from = Directive.NumbersFrom(words[0]) ?? words.Length;
            for (int i = 1; i < words.Length; i++)
                Assert.True(int.TryParse(words[i], out _) == (i >= from), $"{d.ToText()}: word {i}");
        }
    }

    /// <summary>
    /// Catches: a directive's number slot filled with a word (a v11 student's <c>open 44 -46\naheadanks</c>, six
    /// times on object search seed 88: the word count held, the parse did not), and the number rule taking away what may
    /// come before the numbers (an item's name) or after (the end).
    /// </summary>
    [Fact]
    public void A_directives_numbers_are_written_with_digits_a_sign_and_spaces()
    {
        string[] vocabulary = ["<eos>", "open", " 44", " -", "46", "\naheadanks", " oak", "_log", " 1", "place", " stone", "explore", " north", "\n", " 4 5"];
        HashSet<string> Allowed2(string written) => Allowed("conductor", written, vocabulary);
        var third = Allowed2("open 44 -46");          // a word short: a number must follow, or the last one goes on
        Assert.DoesNotContain("\naheadanks", third);
        Assert.DoesNotContain(" oak", third);
        Assert.DoesNotContain("\n", third);
        Assert.Contains(" 1", third);
        Assert.DoesNotContain("46", third);           // -4646: no number in the world has four digits
        Assert.Contains(" -", third);
        Assert.DoesNotContain("<eos>", third);
        Assert.Contains("<eos>", Allowed2("open 44 -46 1"));
        Assert.Contains("46", Allowed2("open 44 -46 1"));             // 146: three digits
        Assert.DoesNotContain("46", Allowed2("open 44 -46 146"));     // 14646: no number in the world has five
        Assert.Contains(" 1", Allowed2("open 44 -46"));
        Assert.Contains(" 44", Allowed2("open"));       // the verb's end: numbers, or the verb goes on
        Assert.DoesNotContain(" oak", Allowed2("open"));
        // An item's name before the numbers is free, and may go on; the numbers after it are digits.
        Assert.Contains(" oak", Allowed2("place"));
        var item = Allowed2("place oak");
        Assert.Contains("_log", item);
        Assert.Contains(" 4 5", item);
        Assert.DoesNotContain(" stone", item);
        Assert.DoesNotContain(" oak", Allowed2("place oak_log "));
        // A directive without numbers is left to the word count alone.
        Assert.Contains(" north", Allowed2("explore"));

        // The real vocabulary: every canonical directive, token by token, is never refused, and may end where it ends.
        var (_, model, tokenizer, _) = StudentCheckpoint.Load(StudentAgentOptions.ShippedCheckpoint);
        var map = new StudentGenerator(model, new StudentSequences(tokenizer, model.Config), TorchSharp.torch.CPU).TokenMap;
        int size = tokenizer.VocabularySize;
        var shipped = AnswerGrammar.For(map, size);
        var at = new BlockPos(-110, 44, -6);
        var answers = EveryDirective(at).Select(d => ("conductor", d.ToText())).Concat(EveryAction(at).Select(a => ("actor", a.ToCode())));
        foreach (var (role, text) in answers)
        {
            int[] ids = [.. StudentVocabulary.Encode(tokenizer, text), map.Eos];
            for (int i = 0; i < ids.Length; i++)
            {
                var logits = new float[size];
                shipped.Ban(role, map.Decode(ids[..i]), logits);
                Assert.False(float.IsNegativeInfinity(logits[ids[i]]), $"{text}: token {i} ('{map.Decode([ids[i]])}') refused after '{map.Decode(ids[..i])}'");
            }
        }
    }

    /// <summary>
    /// Catches (retries of the shipped student, 2026-12-07): a number argument written with a word or a second number in it
    /// (creation seed 20: all ten retries of <c>place oak_planks -5 54 2 -3 57 2</c> were boxes ending <c>57irt -3)</c> or
    /// <c>57urn explore south...</c>), a direction written as a number or a quote (object search seed 66: <c>explore(8, 50)</c>,
    /// <c>explore(_agent", 42)</c>, five of its ten retries), an item's quote left open (creation seed 20:
    /// <c>place(_planks", -6, 54, -4)</c>); and the rules taking away what may be written: an item's name, a direction,
    /// a token that ends a number and goes on.
    /// </summary>
    [Fact]
    public void An_actions_arguments_are_written_as_their_kinds_are()
    {
        string[] vocabulary = ["<eos>", "placeBox", "(\"", "oak", "_planks", "\",", " -", "5", ",", " 57", "irt", "urn explore", ")", ", 2)", ",ir", "lookAt", "(", "12.5", "wait", "()", " 3", ", -)", "-", "01", " 1000"];
        HashSet<string> Allowed2(string written) => Allowed("actor", written, vocabulary);
        var item = Allowed2("placeBox(\"");           // the item is free
        Assert.Contains("oak", item);
        Assert.Contains("urn explore", item);
        var last = Allowed2("placeBox(\"oak_planks\", -5, 54, 2, -3, 57");
        Assert.DoesNotContain("irt", last);
        Assert.DoesNotContain("urn explore", last);
        Assert.Contains(", 2)", last);                // the last comma, a number and the close in one token
        Assert.Contains("5", last);
        Assert.DoesNotContain(",ir", Allowed2("placeBox(\"oak_planks\", -5"));   // a comma, then a word where a number goes
        Assert.Contains(" -", Allowed2("placeBox(\"oak_planks\","));
        Assert.Contains("12.5", Allowed2("lookAt("));  // angles may have a point
        Assert.Contains("()", Allowed2("wait"));
        // A direction is a word, an item a name (a quote after a bare one never closes it).
        Assert.DoesNotContain(" 57", Allowed("actor", "explore(", ["<eos>", "explore", "(", " 57", "north", ", 5)"]));
        Assert.Contains(", 5)", Allowed("actor", "explore(north", ["<eos>", "explore", "(", " 57", "north", ", 5)"]));
        Assert.DoesNotContain("\",", Allowed("actor", "place(_planks", ["<eos>", "\",", "_planks", ","]));
        Assert.Contains(",", Allowed("actor", "place(_planks", ["<eos>", "\",", "_planks", ","]));
        // A number has at most three digits before its point (creation seed 20's retries wrote 5701 for 57).
        Assert.DoesNotContain("01", last);
        Assert.Contains("01", Allowed2("placeBox(\"oak_planks\", -5, 54, 2, -3, 5"));
        Assert.DoesNotContain(" 1000", Allowed2("placeBox(\"oak_planks\","));
        Assert.Contains("5", Allowed2("lookAt(12.5"));                // decimals are not counted
        // A number does not go on after a space, nor take a second sign, and an argument ends only after a digit.
        Assert.DoesNotContain(" 3", last);
        Assert.DoesNotContain("-", last);
        Assert.DoesNotContain(", -)", Allowed2("placeBox(\"oak_planks\", -5, 54, 2, -3, 57"));
        Assert.DoesNotContain(",", Allowed2("placeBox(\"oak_planks\", -"));
        Assert.Contains("5", Allowed2("placeBox(\"oak_planks\", -"));
    }

    /// <summary>The shipped student's greedy actor answers within the grammar parse with the directive's arity; without it the model is unchanged.</summary>
    [Fact]
    public void The_shipped_students_answers_within_the_grammar_parse()
    {
        var (_, model, tokenizer, _) = StudentCheckpoint.Load(StudentAgentOptions.ShippedCheckpoint);
        model.eval();
        var generator = new StudentGenerator(model, new StudentSequences(tokenizer, model.Config), TorchSharp.torch.CPU);
        var image = TrajectorySamples.Image(5, 64, 64);
        string[] directives = ["place oak_planks -13 50 -20 -13 52 -16", "place oak_planks -12 50 -16 -9 52 -16", "place sandstone -11 56 10 2 56 13", "place stone 4 44 -6 7 47 -6"];
        var batch = directives.Select(d => (generator.Sequences.Prompt(new StudentPrompt("actor", d,
            "agent 0 at (-14, 50, -17) facing south. In view: stone x40, grass x31. Inventory: oak_planks 252, sandstone 200, stone 300.",
            "pose: -13.5 50 -16.5 yaw 0 pitch 0\nstand: -13 50 -17\ngoal: 2 blocks north\nprogress: placed 0, removed 0")), image.Pixels)).ToList();
        var randoms = directives.Select(_ => new Random(1)).ToArray();
        var free = generator.GenerateAnswers(batch, null, randoms);
        var held = generator.GenerateAnswers(batch, null, randoms, roles: directives.Select(_ => (string?)"actor").ToArray());
        for (int i = 0; i < directives.Length; i++)
        {
            string text = generator.TokenMap.Decode(held[i].Ids);
            Assert.True(CodeActionSyntax.TryParse(text, out CodeAction? action, out string error), $"{directives[i]}: '{text}' ({error})");
            // Where the free answer parses, the grammar took nothing it picked away: the same answer.
            if (CodeActionSyntax.TryParse(generator.TokenMap.Decode(free[i].Ids), out _, out _)) Assert.Equal(free[i].Ids, held[i].Ids);
            Assert.True(action is PlaceBox or MoveTo or Place, text);
        }
    }
}
