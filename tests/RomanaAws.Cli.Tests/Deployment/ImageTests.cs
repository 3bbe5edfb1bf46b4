using System.Text.Json;
using System.Text.RegularExpressions;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Cli.Tests.Deployment;

/// <summary>
/// The Dockerfile cannot drift from the program (no Docker engine on the build machines, so it is checked rather than
/// built): its entrypoint is in the published output, its default arguments are accepted by the command-line parser,
/// the controller runs as non-root and the agent image carries the kernel tools the agent runs.
/// </summary>
public sealed partial class ImageTests
{
    private sealed record Stage(string Name, List<string> Lines)
    {
        public string[] Json(string instruction) =>
            JsonSerializer.Deserialize<string[]>(Lines.Single(l => l.StartsWith(instruction + " ", StringComparison.Ordinal))[(instruction.Length + 1)..])!;
    }

    private static Dictionary<string, Stage> Stages()
    {
        var text = File.ReadAllText(Path.Combine(CliRun.RepoRoot, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        var stages = new Dictionary<string, Stage>(StringComparer.Ordinal);
        Stage? current = null;
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (FromLine().Match(line) is { Success: true } from)
            {
                current = new Stage(from.Groups["name"].Value, []);
                stages[current.Name] = current;
            }

            current?.Lines.Add(line);
        }

        return stages;
    }

    [Theory]
    [InlineData("controller")]
    [InlineData("agent")]
    public void Stage_DefaultArguments_AreAcceptedByTheCli(string target)
    {
        var stage = Stages()[target];
        Assert.Equal(["dotnet", "/app/romana-aws.dll"], stage.Json("ENTRYPOINT"));
        var parse = CliRun.Parse(stage.Json("CMD"));
        Assert.Empty(parse.Errors);
        Assert.Equal(target, parse.CommandResult.Command.Name);
        Assert.Contains("COPY --from=build /out/ /app/", stage.Lines);
    }

    [Fact]
    public void Controller_RunsAsNonRoot_AgentCarriesTheKernelTools()
    {
        var stages = Stages();
        Assert.Contains(stages["controller"].Lines, l => l is "USER app");
        Assert.DoesNotContain(stages["agent"].Lines, l => l.StartsWith("USER ", StringComparison.Ordinal));
        var install = Assert.Single(stages["agent"].Lines, l => l.Contains("apt-get install", StringComparison.Ordinal));
        Assert.All(new[] { "iproute2", "iptables", "ipset" }, tool => Assert.Contains($" {tool}", install, StringComparison.Ordinal));
    }

    /// <summary>Publishes the CLI the way the build stage does (from the existing build) and finds the entrypoint in it.</summary>
    [Fact]
    public async Task PublishedOutput_HoldsTheEntrypointAndItsRuntimeConfig()
    {
        var build = Stages()["build"];
        var publishLine = Assert.Single(build.Lines, l => l.Contains("dotnet publish", StringComparison.Ordinal));
        var project = PublishProject().Match(publishLine).Groups["project"].Value;
        Assert.True(File.Exists(Path.Combine(CliRun.RepoRoot, project)), $"the build stage publishes {project}, which does not exist");

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var output = Directory.CreateTempSubdirectory("romana-publish-").FullName;
        try
        {
            var publish = await Repo.RunAsync("dotnet", "publish", Path.Combine(CliRun.RepoRoot, project), "-c", configuration, "--no-build", "-o", output, "-p:UseAppHost=false", "-nologo", "-v", "quiet");
            Assert.True(publish.ExitCode == 0, $"dotnet publish failed: {publish.Output}\n{publish.Error}");
            var entry = Stages()["controller"].Json("ENTRYPOINT")[1];
            Assert.True(File.Exists(Path.Combine(output, Path.GetFileName(entry))), $"{entry} is not in the published output");
            Assert.True(File.Exists(Path.Combine(output, "romana-aws.runtimeconfig.json")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [GeneratedRegex(@"^FROM \S+ AS (?<name>\S+)$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"dotnet publish (?<project>\S+)")]
    private static partial Regex PublishProject();
}
