using Expert.VqVae.MlCore.Checkpoints;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.Tests.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.MlCore;

/// <summary>The shared checkpoint container with a header and modules of another model than the VQ-VAE.</summary>
[Collection(TorchCollection.Name)]
public sealed class CheckpointFormatTests : IDisposable
{
    /// <summary>A header as another model would keep it: its own config record, a step, metrics.</summary>
    public sealed record StudentHeader(string ModelVersion, StudentConfig Config, int Step, double BestMetric, Dictionary<string, double> Metrics);

    public sealed record StudentConfig(int Inputs, int Width, int Vocabulary);

    private static readonly CheckpointFormat<StudentHeader> Student = new("S2TESTCK", "test student checkpoint");

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "expert-vqvae-tests", Guid.NewGuid().ToString("N"));

    public CheckpointFormatTests()
    {
        TorchRuntime.Initialize();
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static StudentHeader Header(int step = 3) =>
        new("student-test", new StudentConfig(6, 16, 20), step, 0.25, new() { ["loss"] = 1.5, ["rewards/margins"] = -0.125 });

    private static (nn.Module<Tensor, Tensor> Encoder, nn.Module<Tensor, Tensor> Decoder) Modules(StudentConfig c) =>
        (nn.Sequential(nn.Linear(c.Inputs, c.Width), nn.LayerNorm(c.Width), nn.GELU()),
         nn.Sequential(nn.Linear(c.Width, c.Width), nn.ReLU(), nn.Linear(c.Width, c.Vocabulary)));

    /// <summary>A few AdamW steps so that the optimiser has moments and a step count to save.</summary>
    private static optim.Optimizer Train(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> decoder, StudentConfig c, int steps, int seed)
    {
        var optimizer = optim.AdamW(encoder.parameters().Concat(decoder.parameters()), lr: 0.01);
        TrainMore(encoder, decoder, optimizer, c, steps, seed);
        return optimizer;
    }

    private static void TrainMore(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> decoder, optim.Optimizer optimizer, StudentConfig c, int steps, int seed)
    {
        var generator = new Generator().manual_seed(seed);
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var x = randn([8, c.Inputs], generator: generator);
            var y = randint(c.Vocabulary, [8], generator: generator);
            optimizer.zero_grad();
            nn.functional.cross_entropy(decoder.forward(encoder.forward(x)), y).backward();
            optimizer.step();
        }
    }

    /// <summary>A fresh two-module model saved without an optimiser; returns the file's path.</summary>
    private string SaveWithoutOptimizer(StudentHeader header)
    {
        var (encoder, decoder) = Modules(header.Config);
        string path = Path.Combine(_dir, "model.ckpt");
        Student.Save(path, header, [encoder, decoder]);
        return path;
    }

    private static void AssertSameState(nn.Module a, nn.Module b)
    {
        var sa = a.state_dict();
        var sb = b.state_dict();
        Assert.Equal(sa.Keys, sb.Keys);
        foreach (var (name, tensor) in sa) Assert.Equal(tensor.data<float>().ToArray(), sb[name].data<float>().ToArray());
    }

    [Fact]
    public void A_custom_header_two_modules_and_the_optimizer_round_trip_bit_identical()
    {
        var header = Header();
        torch.manual_seed(1);
        var (encoder, decoder) = Modules(header.Config);
        using var optimizer = Train(encoder, decoder, header.Config, steps: 5, seed: 2);
        string first = Path.Combine(_dir, "first.ckpt");
        Student.Save(first, header, [encoder, decoder], optimizer);

        using (var reader = Student.OpenRead(first))
        {
            Assert.Equal(header.ModelVersion, reader.Header.ModelVersion);
            Assert.Equal(header.Config, reader.Header.Config);
            Assert.Equal(header.Metrics, reader.Header.Metrics);
            torch.manual_seed(99);   // other initial weights: everything must come from the file
            var (encoder2, decoder2) = Modules(reader.Header.Config);
            reader.LoadModule(encoder2);
            reader.LoadModule(decoder2);
            Assert.Equal(2, reader.ModulesLoaded);
            Assert.True(reader.HasMore);
            var optimizer2 = optim.AdamW(encoder2.parameters().Concat(decoder2.parameters()), lr: 0.01);
            reader.LoadOptimizerState(optimizer2);
            AssertSameState(encoder, encoder2);
            AssertSameState(decoder, decoder2);

            // Saved again from what was loaded, the file is the same, byte for byte.
            string second = Path.Combine(_dir, "second.ckpt");
            Student.Save(second, reader.Header, [encoder2, decoder2], optimizer2);
            Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));

            // And training goes on exactly as it would have: the optimiser's moments came back too.
            TrainMore(encoder, decoder, optimizer, header.Config, steps: 3, seed: 7);
            TrainMore(encoder2, decoder2, optimizer2, header.Config, steps: 3, seed: 7);
            AssertSameState(encoder, encoder2);
            AssertSameState(decoder, decoder2);
        }
    }

    [Fact]
    public void Without_an_optimizer_nothing_follows_the_modules()
    {
        var header = Header();
        string path = SaveWithoutOptimizer(header);
        using var reader = Student.OpenRead(path);
        var (e2, d2) = Modules(reader.Header.Config);
        reader.LoadModule(e2);
        Assert.True(reader.HasMore);
        reader.LoadModule(d2);
        Assert.False(reader.HasMore);
        Assert.Equal(new FileInfo(path).Length, reader.Position);
        Assert.Throws<InvalidOperationException>(() => reader.LoadOptimizerState(optim.Adam(e2.parameters())));
    }

    [Fact]
    public void Modules_that_do_not_fit_the_saved_weights_are_refused()
    {
        var header = Header();
        string path = SaveWithoutOptimizer(header);
        using var reader = Student.OpenRead(path);
        var (wider, _) = Modules(header.Config with { Width = 32 });
        var e = Assert.Throws<InvalidDataException>(() => reader.LoadModule(wider));
        Assert.Contains("do not match its config", e.Message);
    }

    [Fact]
    public void Each_kind_has_its_own_magic_and_refuses_the_others_files()
    {
        string path = SaveWithoutOptimizer(Header());
        Assert.Equal("S2TESTCK"u8.ToArray(), File.ReadAllBytes(path)[..8]);
        var other = new CheckpointFormat<StudentHeader>("S2OTHERK", "other checkpoint");
        var e = Assert.Throws<InvalidDataException>(() => other.ReadHeader(path));
        Assert.Contains("is not a other checkpoint (bad magic)", e.Message);
        Assert.Throws<ArgumentException>(() => new CheckpointFormat<StudentHeader>("SHORT", "x"));
    }

    [Fact]
    public void The_kind_validates_headers_it_reads()
    {
        string path = SaveWithoutOptimizer(Header(step: -1));
        var strict = new CheckpointFormat<StudentHeader>("S2TESTCK", "test student checkpoint",
            validate: h => h.Step >= 0 ? null : $"has a negative step ({h.Step}).");
        var e = Assert.Throws<InvalidDataException>(() => strict.ReadHeader(path));
        Assert.EndsWith("has a negative step (-1).", e.Message);
    }

    [Fact]
    public void A_crash_mid_write_leaves_no_file_under_the_real_name_and_no_temporary_file()
    {
        var header = Header();
        var (encoder, _) = Modules(header.Config);
        string path = Path.Combine(_dir, "crash.ckpt");
        // The header and the first module are in the temporary file when the second module fails.
        Assert.ThrowsAny<Exception>(() => Student.Save(path, header, [encoder, new BrokenModule()]));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));

        // Over an existing checkpoint: the old one stays, whole.
        Student.Save(path, header, [encoder]);
        byte[] before = File.ReadAllBytes(path);
        Assert.ThrowsAny<Exception>(() => Student.Save(path, header with { Step = 4 }, [encoder, new BrokenModule()]));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    /// <summary>A module whose state cannot be written: a buffer without storage (a "meta" tensor) has no bytes to save.</summary>
    private sealed class BrokenModule : nn.Module
    {
        public BrokenModule() : base("broken")
        {
            register_buffer("no_storage", empty([4], device: new Device(DeviceType.META)));
        }
    }
}
