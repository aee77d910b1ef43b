using System.CommandLine;
using Expert.VqVae.Persistence;

namespace Expert.VqVae.Cli;

/// <summary>`vqvae decoding`: a finished checkpoint's weights under new decoding defaults (Persistence/DecodingDefaults.cs).</summary>
internal static class DecodingCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The finished checkpoint (stage 'done') whose weights to carry.", Required = true };
        var output = new Option<string>("--output") { Description = "The checkpoint to write (never the source).", Required = true };
        var steps = new Option<int?>("--steps") { Description = "Default parallel decoding steps." };
        var guidance = new Option<float?>("--guidance") { Description = "Default classifier-free guidance weight (0 = off)." };
        var guidanceStart = new Option<float?>("--guidance-start") { Description = "Default share of the decoding steps run before guidance starts." };
        var mirrorTied = new Option<bool?>("--mirror-tied") { Description = "Decode mirror-tied where the text states symmetry by default: true or false." };
        var halfFirst = new Option<bool?>("--mirror-half-first") { Description = "Mirror-tied decodes settle the left half first by default: true or false (for a prior trained with --prior-half-mask)." };
        var command = new Command("decoding", "Write a finished checkpoint's weights, bit for bit, under new decoding defaults chosen on held-out records (a new model version).")
        {
            model, output, steps, guidance, guidanceStart, mirrorTied, halfFirst,
        };
        command.SetAction(r => CliApp.Guard(() =>
        {
            var written = DecodingDefaults.Write(r.GetValue(model)!, r.GetValue(output)!, prior => prior with
            {
                DecodeSteps = r.GetValue(steps) ?? prior.DecodeSteps,
                Guidance = r.GetValue(guidance) ?? prior.Guidance,
                GuidanceStart = r.GetValue(guidanceStart) ?? prior.GuidanceStart,
                MirrorTied = r.GetValue(mirrorTied) ?? prior.MirrorTied,
                MirrorHalfFirst = r.GetValue(halfFirst) ?? prior.MirrorHalfFirst,
            });
            var p = written.Prior!;
            Console.WriteLine($"wrote {r.GetValue(output)}: {written.ModelVersion} (weights of {written.DecodingFrom}), "
                + $"{p.DecodeSteps} steps, guidance {p.Guidance} from {p.GuidanceStart}, mirror-tied {(p.MirrorTied ? "on" : "off")}"
                + (p.MirrorHalfFirst ? ", left half first" : ""));
            return 0;
        }));
        return command;
    }
}
