using System.Text.RegularExpressions;
using Expert.Host.Health;

namespace Expert.Host.Tests;

/// <summary>
/// No Docker engine runs here, so these pin what the Dockerfile relies on: the same publish
/// command as outside, a non-root user, a base image whose libstdc++ TorchSharp accepts, the
/// port it exposes being the one it listens on, and a HEALTHCHECK that runs the host's own probe.
/// The publish-and-run half is tests/Expert.Host.Tests/publish-check.sh.
/// </summary>
public sealed partial class ContainerTests
{
    private static readonly string Root = FindRepositoryRoot();
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));

    [Fact]
    public void Builds_in_an_sdk_stage_and_runs_in_an_aspnet_stage_whose_libstdcxx_TorchSharp_accepts()
    {
        Dictionary<string, string> bases = FromLine().Matches(Dockerfile).ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
        string tag = Regex.Match(Dockerfile, @"ARG DOTNET_TAG=(\S+)").Groups[1].Value;

        // The base images are build arguments whose defaults are the public .NET images.
        Assert.Contains("ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:${DOTNET_TAG}", Dockerfile);
        Assert.Contains("ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG}", Dockerfile);
        Assert.Equal("${SDK_IMAGE}", bases["build-common"]);
        Assert.Equal("${RUNTIME_IMAGE}", bases["runtime"]);
        Assert.Equal("runtime", bases["experts"]);
        Assert.Matches(@"^10\.0-(noble|trixie)", tag); // Debian 12 (bookworm) lacks GLIBCXX_3.4.32
    }

    [Fact]
    public void Publishes_the_host_with_the_torch_backend_argument()
    {
        Assert.Contains("ARG TORCH_BACKEND=cpu", Dockerfile);
        Assert.Matches(@"RUN dotnet publish src/Expert\.Host/Expert\.Host\.csproj -c Release -o /out .*-p:TorchBackend=\$\{TORCH_BACKEND\}", Dockerfile);
        Assert.Matches(@"RUN dotnet restore src/Expert\.Host/Expert\.Host\.csproj -p:TorchBackend=\$\{TORCH_BACKEND\}", Dockerfile);
        // Every project the host needs is restored from its own project file.
        foreach (string project in new[] { "Expert.VqVae", "Expert.DynamicMap", "Expert.Host" })
        {
            Assert.True(File.Exists(Path.Combine(Root, "src", project, project + ".csproj")));
            Assert.Contains($"COPY src/{project}/{project}.csproj src/{project}/", Dockerfile);
        }
    }

    [Fact]
    public void Runs_as_non_root_listening_on_the_exposed_port_with_passive_omp()
    {
        string shared = Dockerfile[Dockerfile.IndexOf("AS runtime", StringComparison.Ordinal)..];
        string runtime = Dockerfile[Dockerfile.IndexOf("AS experts", StringComparison.Ordinal)..];
        string exposed = Regex.Match(runtime, @"EXPOSE (\d+)").Groups[1].Value;

        Assert.Matches(@"USER \$APP_UID", runtime);
        Assert.DoesNotMatch(@"USER (root|0)\b", runtime);
        Assert.Contains($"ASPNETCORE_URLS=http://0.0.0.0:{exposed}", runtime);
        Assert.Contains("OMP_WAIT_POLICY=PASSIVE", shared);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Expert.Host.dll\"]", runtime);
        Assert.Contains($"CMD [\"dotnet\", \"/app/Expert.Host.dll\", \"{HealthProbe.Command}\", \"http://127.0.0.1:{exposed}\"]", runtime);
    }

    [Fact]
    public void The_build_context_leaves_outputs_out()
    {
        string[] ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore"));

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains(".git/", ignored);
    }

    [GeneratedRegex(@"^FROM (\S+) AS ([\w-]+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Expert.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Expert.sln not found above the test folder.");
    }
}
