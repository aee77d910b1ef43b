using System.Text.RegularExpressions;
using Steve2.Pipeline.Cli;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Tests.Cli;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Steve2.Pipeline.Tests.Deploy;

/// <summary>
/// No Kubernetes cluster runs here and the suite runs no Docker engine (tests/containers/run.sh does), so the
/// deployment files are checked statically: compose.yaml and deploy/kubernetes/ parse as YAML; every image they name
/// is a target of the Dockerfile; every steve2 command and flag they pass exists in this CLI; the Indexed Jobs' shards
/// agree with their completions and together play every planned episode exactly once; the eval merge Job reads every
/// shard's folder.
/// </summary>
public sealed partial class DeployManifestTests
{
    private static readonly string Root = FindRepositoryRoot();
    private static readonly string Kubernetes = Path.Combine(Root, "deploy", "kubernetes");
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));

    [Fact]
    public void Every_manifest_parses_and_every_kubernetes_document_has_a_kind()
    {
        List<string> files = Directory.GetFiles(Kubernetes, "*.yaml", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("kustomization.yaml"));
        foreach (string file in files)
            foreach (Dictionary<object, object> document in Documents(file))
            {
                Assert.True(document.ContainsKey("apiVersion") && document.ContainsKey("kind"), $"{file}: a document without apiVersion or kind");
            }
        Assert.Contains("services", Assert.Single(Documents(Path.Combine(Root, "compose.yaml"))).Keys);
    }

    [Fact]
    public void Kustomizations_name_files_that_exist()
    {
        foreach (string file in Directory.GetFiles(Kubernetes, "kustomization.yaml", SearchOption.AllDirectories))
        {
            Dictionary<object, object> kustomization = Assert.Single(Documents(file));
            foreach (string resource in List(kustomization["resources"]).Cast<string>())
                Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(file)!, resource)), $"{file} names {resource}, which is not there");
            foreach (object image in List(kustomization["images"]))
                Assert.Contains((string)Map(image)["name"], new[] { "steve2-experts", "steve2-pipeline" });
        }
    }

    [Fact]
    public void Every_image_and_build_target_is_a_target_of_the_Dockerfile()
    {
        HashSet<string> targets = TargetLine().Matches(Dockerfile).Select(m => m.Groups[1].Value).ToHashSet();
        HashSet<string> arguments = ArgLine().Matches(Dockerfile).Select(m => m.Groups[1].Value).ToHashSet();
        var images = new List<(string File, string Image)>();
        foreach ((string file, Dictionary<object, object> container) in KubernetesContainers())
            images.Add((file, (string)container["image"]));
        foreach ((string name, Dictionary<object, object> service) in ComposeServices())
        {
            images.Add(($"compose.yaml {name}", DefaultOf((string)service["image"])));
            Dictionary<object, object> build = Map(service["build"]);
            Assert.Contains((string)build["target"], targets);
            foreach (object argument in Map(build["args"]).Keys) Assert.Contains((string)argument, arguments);
            Assert.True(((string)service["image"]).Contains($"steve2-{build["target"]}:"), $"compose.yaml {name}: its image and its build target disagree");
        }

        Assert.NotEmpty(images);
        foreach ((string file, string image) in images)
        {
            Match m = ImageName().Match(image);
            Assert.True(m.Success, $"{file}: image {image} is not steve2-<target>[:cpu|:cuda]");
            Assert.Contains(m.Groups[1].Value, targets);
        }
    }

    [Fact]
    public async Task Every_steve2_command_and_flag_in_the_manifests_exists()
    {
        var invocations = new List<(string Where, List<string> Args)>();
        foreach ((string file, Dictionary<object, object> container) in KubernetesContainers())
            if (((string)container["image"]).StartsWith("steve2-pipeline") && container.TryGetValue("args", out object? args))
                invocations.Add(($"{file} {container["name"]}", List(args).Cast<string>().ToList()));
        foreach ((string name, Dictionary<object, object> service) in ComposeServices())
            if (((string)service["image"]).Contains("steve2-pipeline"))
                invocations.Add(($"compose.yaml {name}", List(service["command"]).Cast<string>().ToList()));
        Assert.Contains(invocations, i => i.Args.Contains(ShardOption.Name));

        var helps = new Dictionary<string, string>();
        foreach ((string where, List<string> args) in invocations)
        {
            List<string> command = [args[0]];
            string help = await HelpAsync(helps, command);
            if (args.Count > 1 && !args[1].StartsWith('-') && Regex.IsMatch(help, $@"^\s+{Regex.Escape(args[1])}\b", RegexOptions.Multiline))
            {
                command.Add(args[1]);   // a subcommand: eval merge, trajectories inspect
                help = await HelpAsync(helps, command);
            }
            foreach (string flag in args.Where(a => a.StartsWith("--")))
                Assert.True(Regex.IsMatch(help, $@"(^|[\s,]){Regex.Escape(flag)}([\s,]|$)", RegexOptions.Multiline),
                    $"{where}: `steve2 {string.Join(' ', command)}` has no option {flag}");
        }
    }

    [Theory]
    [InlineData("record")]
    [InlineData("eval")]
    public void The_indexed_job_plays_every_planned_episode_in_exactly_one_shard(string job)
    {
        Dictionary<object, object> spec = Map(Assert.Single(Documents(Path.Combine(Kubernetes, "jobs", job, "job.yaml")))["spec"]);
        Dictionary<object, object> container = Map(Assert.Single(List(Map(Map(spec["template"])["spec"])["containers"])));
        List<string> args = List(container["args"]).Cast<string>().ToList();
        string Value(string flag) => args[args.IndexOf(flag) + 1];

        Assert.Equal("Indexed", spec["completionMode"]);
        int completions = int.Parse((string)spec["completions"]);
        Match shard = Regex.Match(Value(ShardOption.Name), @"^\$\(SHARD_INDEX\)/(\d+)$");
        Assert.True(shard.Success, $"{job}: --shard must be $(SHARD_INDEX)/N");
        Assert.Equal(completions, int.Parse(shard.Groups[1].Value));
        // SHARD_INDEX is the pod's completion index.
        Dictionary<object, object> index = List(container["env"]).Select(Map).Single(e => (string)e["name"] == "SHARD_INDEX");
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", Map(Map(index["valueFrom"])["fieldRef"])["fieldPath"]);

        // The plan the command makes, with the seeds its command checks (training seeds for record, evaluation seeds for eval).
        IReadOnlyList<string> agents = TaskSelection.Agents(Value("--agents"));
        IReadOnlyList<int> seeds = SeedList.Parse(Value("--seeds"));
        var plans = TaskSelection.Parse(Value("--tasks")).Select(t =>
        {
            if (job == "record") TaskSelection.RequireTrainingSeeds(t, seeds); else TaskSelection.RequireEvaluationSeeds(t, seeds);
            return new TaskPlan(t, seeds);
        }).ToList();
        IReadOnlyList<EpisodeJob> plan = EvaluationRunner.Plan(agents, plans);
        List<EpisodeJob> played = Enumerable.Range(0, completions).SelectMany(k => Shard.Parse(Value(ShardOption.Name).Replace("$(SHARD_INDEX)", k.ToString())).Select(plan)).ToList();

        Assert.Equal(plan.Count, played.Count);
        Assert.Equal(plan.ToHashSet(), played.ToHashSet());                        // every planned episode, none twice
        Assert.Equal(seeds.Count * plans.Count * agents.Count, plan.Count);
        Assert.All(plans, p => Assert.Equal(seeds.ToHashSet(), played.Where(e => e.Task == p.Task.Name).Select(e => e.Seed).ToHashSet()));
    }

    [Fact]
    public void The_merge_job_reads_the_folder_of_every_eval_shard()
    {
        Dictionary<object, object> evalSpec = Map(Assert.Single(Documents(Path.Combine(Kubernetes, "jobs", "eval", "job.yaml")))["spec"]);
        List<string> evalArgs = List(Map(Assert.Single(List(Map(Map(evalSpec["template"])["spec"])["containers"])))["args"]).Cast<string>().ToList();
        string output = evalArgs[evalArgs.IndexOf("--output") + 1];
        int completions = int.Parse((string)evalSpec["completions"]);
        Dictionary<object, object> mergeSpec = Map(Assert.Single(Documents(Path.Combine(Kubernetes, "jobs", "eval-merge", "job.yaml")))["spec"]);
        List<string> mergeArgs = List(Map(Assert.Single(List(Map(Map(mergeSpec["template"])["spec"])["containers"])))["args"]).Cast<string>().ToList();

        Assert.Contains("$(SHARD_INDEX)", output);   // disjoint report folders, one per shard
        Assert.Equal(["eval", "merge"], mergeArgs.Take(2));
        List<string> folders = mergeArgs.Skip(2).TakeWhile(a => !a.StartsWith("--")).ToList();
        Assert.Equal(Enumerable.Range(0, completions).Select(k => output.Replace("$(SHARD_INDEX)", k.ToString())), folders);
    }

    [Fact]
    public void The_experts_are_replicated_probed_and_every_pod_runs_as_non_root_on_the_shared_claim()
    {
        List<Dictionary<object, object>> experts = Documents(Path.Combine(Kubernetes, "experts.yaml")).ToList();
        Dictionary<object, object> deployment = experts.Single(d => (string)d["kind"] == "Deployment");
        List<Dictionary<object, object>> services = experts.Where(d => (string)d["kind"] == "Service").ToList();
        Dictionary<object, object> template = Map(Map(deployment["spec"])["template"]);
        Assert.True(int.Parse((string)Map(deployment["spec"])["replicas"]) >= 2);
        Assert.All(services, service =>
            Assert.Equal(Map(Map(template["metadata"])["labels"])["app.kubernetes.io/name"], Map(Map(service["spec"])["selector"])["app.kubernetes.io/name"]));
        // The rollouts balance on the client side over the headless Service's per-replica addresses.
        string headless = (string)Map(services.Single(s => Map(s["spec"]).TryGetValue("clusterIP", out object? ip) && (string)ip == "None")["metadata"])["name"];
        foreach (string job in new[] { "record", "eval" })
        {
            Dictionary<object, object> pod = Map(Map(Map(Assert.Single(Documents(Path.Combine(Kubernetes, "jobs", job, "job.yaml")))["spec"])["template"])["spec"]);
            List<string> args = List(Map(Assert.Single(List(pod["containers"])))["args"]).Cast<string>().ToList();
            Assert.Equal($"dns:///{headless}:5080", args[args.IndexOf("--experts") + 1]);
        }
        Dictionary<object, object> host = Map(Assert.Single(List(Map(template["spec"])["containers"])));
        Assert.Equal("5080", Map(Map(host["readinessProbe"])["grpc"])["port"]);
        Assert.Equal(Regex.Match(Dockerfile, @"EXPOSE (\d+)").Groups[1].Value, Map(Assert.Single(List(host["ports"])))["containerPort"]);

        string claim = (string)Map(Assert.Single(Documents(Path.Combine(Kubernetes, "data-pvc.yaml")))["metadata"])["name"];
        foreach (string file in Directory.GetFiles(Path.Combine(Kubernetes, "jobs"), "job.yaml", SearchOption.AllDirectories).Append(Path.Combine(Kubernetes, "experts.yaml")))
            foreach (Dictionary<object, object> document in Documents(file).Where(d => (string)d["kind"] is "Job" or "Deployment"))
            {
                Dictionary<object, object> pod = Map(Map(Map(document["spec"])["template"])["spec"]);
                Assert.Equal("true", Map(pod["securityContext"])["runAsNonRoot"]);
                Assert.All(List(pod["containers"]).Select(Map), c => Assert.Equal("true", Map(c["securityContext"])["readOnlyRootFilesystem"]));
                if ((string)document["kind"] == "Job")
                    Assert.Contains(List(pod["volumes"]).Select(Map), v => v.TryGetValue("persistentVolumeClaim", out object? c) && (string)Map(c)["claimName"] == claim);
            }
        Dictionary<object, object> train = Map(Assert.Single(List(Map(Map(Map(Assert.Single(Documents(Path.Combine(Kubernetes, "jobs", "train", "job.yaml")))["spec"])["template"])["spec"])["containers"])));
        Assert.Equal("1", Map(Map(train["resources"])["limits"])["nvidia.com/gpu"]);
    }

    [Fact]
    public void Compose_waits_for_healthy_experts_shares_data_and_reserves_the_gpu()
    {
        Dictionary<string, Dictionary<object, object>> services = ComposeServices().ToDictionary(s => s.Name, s => s.Service);
        Assert.Contains("test", Map(services["experts"]["healthcheck"]).Keys);
        foreach ((string name, Dictionary<object, object> service) in services)
        {
            Assert.Contains("data:/data", List(service["volumes"]).Cast<string>());
            Assert.Equal("true", service["read_only"]);
            bool pipeline = ((string)service["image"]).Contains("steve2-pipeline");
            bool gpu = service.TryGetValue("profiles", out object? profiles) && List(profiles).Contains("gpu");
            if (pipeline && !name.StartsWith("train"))
                Assert.Equal("service_healthy", Map(Map(service["depends_on"])["experts"])["condition"]);
            if (gpu)
            {
                Dictionary<object, object> device = Map(Assert.Single(List(Map(Map(Map(service["deploy"])["resources"])["reservations"])["devices"])));
                Assert.Equal("nvidia", device["driver"]);
                Assert.Contains(":cuda", (string)service["image"]);
            }
        }
        Assert.Contains(services.Values, s => s.TryGetValue("profiles", out object? p) && List(p).Contains("gpu") && ((string)s["image"]).Contains("steve2-experts"));
    }

    private static async Task<string> HelpAsync(Dictionary<string, string> cache, List<string> command)
    {
        string key = string.Join(' ', command);
        if (cache.TryGetValue(key, out string? help)) return help;
        CliRun run = await CliRun.RunAsync([.. command, "--help"]);
        Assert.True(run.ExitCode == 0 && run.Output.Contains("Usage:"), $"`steve2 {key}` is not a command: {run.Error}");
        return cache[key] = run.Output;
    }

    /// <summary>Every container and init container of the Kubernetes manifests, with its file.</summary>
    private static IEnumerable<(string File, Dictionary<object, object> Container)> KubernetesContainers()
    {
        foreach (string file in Directory.GetFiles(Kubernetes, "*.yaml", SearchOption.AllDirectories).Where(f => !f.EndsWith("kustomization.yaml")))
            foreach (Dictionary<object, object> document in Documents(file))
            {
                if (!document.TryGetValue("spec", out object? spec) || !Map(spec).TryGetValue("template", out object? template)) continue;
                Dictionary<object, object> pod = Map(Map(template)["spec"]);
                foreach (string key in new[] { "containers", "initContainers" })
                    if (pod.TryGetValue(key, out object? containers))
                        foreach (object container in List(containers)) yield return (Path.GetRelativePath(Root, file), Map(container));
            }
    }

    private static IEnumerable<(string Name, Dictionary<object, object> Service)> ComposeServices() =>
        Map(Assert.Single(Documents(Path.Combine(Root, "compose.yaml")))["services"]).Select(s => ((string)s.Key, Map(s.Value)));

    /// <summary>The YAML documents of a file, merge keys (&lt;&lt;) and aliases resolved; scalars stay strings.</summary>
    private static List<Dictionary<object, object>> Documents(string file)
    {
        IDeserializer deserializer = new DeserializerBuilder().Build();
        using var reader = new StringReader(File.ReadAllText(file));
        var parser = new MergingParser(new Parser(reader));
        var documents = new List<Dictionary<object, object>>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
            documents.Add(Map(deserializer.Deserialize<object>(parser)!));
        return documents;
    }

    /// <summary>The default of a compose value <c>${VAR:-default}</c>, else the value.</summary>
    private static string DefaultOf(string value) => Regex.Match(value, @"^\$\{\w+:-(.+)\}$") is { Success: true } m ? m.Groups[1].Value : value;

    private static Dictionary<object, object> Map(object? node) => Assert.IsType<Dictionary<object, object>>(node);

    private static List<object> List(object? node) => Assert.IsType<List<object>>(node);

    [GeneratedRegex(@"^FROM \S+ AS ([\w-]+)", RegexOptions.Multiline)]
    private static partial Regex TargetLine();

    [GeneratedRegex(@"^ARG (\w+)", RegexOptions.Multiline)]
    private static partial Regex ArgLine();

    [GeneratedRegex(@"^steve2-(experts|pipeline)(:(cpu|cuda))?$")]
    private static partial Regex ImageName();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Expert.sln"))) return dir.FullName;
        throw new InvalidOperationException("Expert.sln not found above the test folder.");
    }
}
