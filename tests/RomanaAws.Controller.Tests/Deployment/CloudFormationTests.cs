using System.Reflection;
using Amazon.Runtime;
using RomanaAws.Aws.CloudWatch;
using RomanaAws.Aws.Ec2;
using RomanaAws.Controller.Metrics;
using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;
using RomanaAws.Tests.Shared;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace RomanaAws.Controller.Tests.Deployment;

/// <summary>
/// cloudformation/romana-aws.yaml cannot drift from the code: its alarms watch metrics the controller publishes, and
/// its IAM policy allows exactly the actions the AWS seam calls, enumerated by calling every <see cref="IEc2Api"/>
/// method and the CloudWatch client against the simulator and reading which API actions arrived.
/// </summary>
public sealed class CloudFormationTests(ITestOutputHelper output)
{
    private static string TemplatePath => Path.Combine(Repo.Root, "cloudformation", "romana-aws.yaml");

    private static YamlMappingNode Template()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(TemplatePath));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<(string Name, YamlMappingNode Properties)> Resources(YamlMappingNode template, string type) =>
        ((YamlMappingNode)template["Resources"]).Children
            .Where(r => ((YamlScalarNode)((YamlMappingNode)r.Value)["Type"]).Value == type)
            .Select(r => (((YamlScalarNode)r.Key).Value!, (YamlMappingNode)((YamlMappingNode)r.Value)["Properties"]));

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;

    [Fact]
    public void Alarms_WatchMetricsTheControllerPublishes_InItsNamespaceAndDimension()
    {
        var template = Template();
        var parameters = (YamlMappingNode)template["Parameters"];
        Assert.Equal(MetricNames.DefaultNamespace, Scalar(((YamlMappingNode)parameters["MetricNamespace"])["Default"]));

        var alarms = Resources(template, "AWS::CloudWatch::Alarm").ToList();
        foreach (var (name, properties) in alarms)
        {
            Assert.Contains(Scalar(properties["MetricName"]), MetricNames.All);
            var ns = (YamlScalarNode)properties["Namespace"];
            Assert.True(ns.Tag.Value == "!Ref" && ns.Value == "MetricNamespace", $"{name}: Namespace must be !Ref MetricNamespace");
            var dimensions = ((YamlSequenceNode)properties["Dimensions"]).Cast<YamlMappingNode>().Select(d => Scalar(d["Name"])).ToList();
            Assert.Equal([MetricNames.ClusterDimension], dimensions);
            Assert.Contains(((YamlSequenceNode)properties["AlarmActions"]).Cast<YamlScalarNode>(), a => a.Tag.Value == "!Ref" && a.Value == "AlarmTopic");
        }

        Assert.Equal(
            new[] { MetricNames.LeaderChanges, MetricNames.NoHealthyTarget, MetricNames.ReconcileErrors, MetricNames.RouteBudgetHeadroom, MetricNames.RouteFailovers },
            alarms.Select(a => Scalar(a.Properties["MetricName"])).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task IamPolicy_AllowsExactlyTheActionsTheSeamCalls_MutationsOnlyUnderConditions()
    {
        var called = await CalledActionsAsync();
        output.WriteLine($"actions the seam calls: {string.Join(", ", called)}");

        var policy = Resources(Template(), "AWS::IAM::ManagedPolicy").Single().Properties;
        var statements = ((YamlSequenceNode)((YamlMappingNode)policy["PolicyDocument"])["Statement"]).Cast<YamlMappingNode>().ToList();
        var allowed = statements.SelectMany(s => ((YamlSequenceNode)s["Action"]).Cast<YamlScalarNode>().Select(a => a.Value!)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(called, allowed);

        foreach (var statement in statements)
        {
            Assert.Equal("Allow", Scalar(statement["Effect"]));
            var actions = ((YamlSequenceNode)statement["Action"]).Cast<YamlScalarNode>().Select(a => a.Value!).ToList();
            if (actions.All(a => a.StartsWith("ec2:Describe", StringComparison.Ordinal)))
            {
                continue;
            }

            Assert.True(statement.Children.ContainsKey("Condition"), $"{Scalar(statement["Sid"])}: {string.Join(",", actions)} must be limited by a condition");
        }
    }

    [Fact]
    public void IamPolicy_RouteWriteCondition_IsTheTableRuleOfClusterTags()
    {
        // The controller manages tables by tag only where its policy lets it write: the condition key is the tag
        // ClusterTags.MarksTable reads, and its value is the cluster name (RouteTableTag when set; empty = ClusterName).
        var policy = Resources(Template(), "AWS::IAM::ManagedPolicy").Single().Properties;
        var writes = ((YamlSequenceNode)((YamlMappingNode)policy["PolicyDocument"])["Statement"]).Cast<YamlMappingNode>()
            .Single(s => ((YamlSequenceNode)s["Action"]).Cast<YamlScalarNode>().Any(a => a.Value == "ec2:CreateRoute"));
        var condition = Assert.Single(((YamlMappingNode)((YamlMappingNode)writes["Condition"])["StringEquals"]).Children);
        Assert.Equal($"ec2:ResourceTag/{ClusterTags.LegacyKey}", Scalar(condition.Key));
        var value = (YamlSequenceNode)condition.Value;
        Assert.Equal(("!If", "TagIsClusterName", "ClusterName"), (value.Tag.Value, Scalar(value[0]), Scalar(value[1])));

        // kops: the same condition in the cluster spec's additional policy.
        var kops = File.ReadAllText(Path.Combine(Repo.Root, "kops-addon", "cluster-spec.yaml"));
        Assert.Contains($"\"ec2:ResourceTag/{ClusterTags.LegacyKey}\": \"${{CLUSTER_NAME}}\"", kops, StringComparison.Ordinal);

        var tags = new ClusterTags("demo.k8s.local");
        Assert.True(tags.MarksTable(new Dictionary<string, string> { [ClusterTags.LegacyKey] = "demo.k8s.local" }));
        Assert.False(tags.MarksTable(new Dictionary<string, string> { [tags.KubernetesKey] = "owned" }));
    }

    [Fact]
    public async Task Template_PassesCfnLint()
    {
        var lint = Environment.GetEnvironmentVariable("ROMANA_CFN_LINT") is { Length: > 0 } configured ? configured : Path.Combine(Repo.Root, ".tools", "node_modules", ".bin", "cfn-lint");
        if (!File.Exists(lint))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but cfn-lint is not at {lint} (scripts/test.sh installs it from npm)");
            output.WriteLine($"skipped: cfn-lint not at {lint}");
            return;
        }

        var run = await Repo.RunAsync(lint, "validate", TemplatePath, "--parameters", "ClusterName=demo.k8s.local,VpcId=vpc-0123456789abcdef0");
        Assert.True(run.ExitCode == 0, $"cfn-lint failed ({run.ExitCode}):\n{run.Output}\n{run.Error}");
        Assert.Contains("Template valid", run.Output, StringComparison.Ordinal);
    }

    /// <summary>Calls every method of the EC2 seam (dry-run for writes) and the CloudWatch client; returns the IAM actions the simulator saw.</summary>
    private static async Task<List<string>> CalledActionsAsync()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        var control = fixture.Simulator.Control;
        control.ResetCalls();
        foreach (var method in typeof(IEc2Api).GetMethods())
        {
            var arguments = method.GetParameters().Select(p => Argument(p)).ToArray();
            try
            {
                await (Task)method.Invoke(fixture.Api, arguments)!;
            }
            catch (Ec2ApiException)
            {
                // The dummy arguments may be refused; the call was still made (the simulator counts refused calls).
            }
        }

        var ec2 = control.Calls.Keys.Select(a => $"ec2:{a}").ToList();
        control.ResetCalls();
        using var cloudWatch = new CloudWatchQueryClient(new CloudWatchClientOptions
        {
            Region = "us-east-1",
            ServiceUrl = fixture.Simulator.Endpoint,
            Credentials = new BasicAWSCredentials("test", "test"),
        });
        await cloudWatch.PutMetricDataAsync(MetricNames.DefaultNamespace, [new MetricSample(MetricNames.ManagedRoutes, 1, "Count", [])], CancellationToken.None);
        return [.. ec2.Concat(control.Calls.Keys.Select(a => $"cloudwatch:{a}")).Order(StringComparer.Ordinal)];
    }

    private static object? Argument(ParameterInfo parameter) => parameter.ParameterType switch
    {
        var t when t == typeof(string) => parameter.Name switch
        {
            "clusterName" => "demo.k8s.local",
            "vpcId" => "vpc-0a0a0a0a0a0a0a0a0",
            "routeTableId" => "rtb-0a0a0a0a0a0a0a0a1",
            _ => "eni-00000000000000000",
        },
        var t when t == typeof(IReadOnlyList<string>) => new[] { "i-00000000000000000" },
        var t when t == typeof(Cidr) => Cidr.Parse("100.127.255.0/24"),
        var t when t == typeof(bool) => true,
        var t when t == typeof(CancellationToken) => CancellationToken.None,
        var t => throw new InvalidOperationException($"IEc2Api.{parameter.Member.Name}: no test argument for {t.Name} {parameter.Name}; add one here"),
    };
}
