using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace RomanaAws.VpcSim.Tests.Ec2;

/// <summary>
/// Raw responses, byte for byte apart from request ids, against golden files written from the EC2 and CloudWatch
/// API references (element names, order, namespaces, error envelopes). Set UPDATE_GOLDEN=1 to rewrite them.
/// </summary>
public sealed partial class GoldenXmlTests
{
    [Theory]
    [InlineData("ec2-describe-route-tables-main", "Action=DescribeRouteTables&Version=2016-11-15&RouteTableId.1=rtb-0000000000000000a", 200)]
    [InlineData("ec2-create-route", "Action=CreateRoute&Version=2016-11-15&RouteTableId=rtb-0a0a0a0a0a0a0a0a1&DestinationCidrBlock=100.96.0.0%2F16&InstanceId=i-0a000000000000002", 200)]
    [InlineData("ec2-error-route-already-exists", "Action=CreateRoute&Version=2016-11-15&RouteTableId=rtb-0a0a0a0a0a0a0a0a1&DestinationCidrBlock=0.0.0.0%2F0&InstanceId=i-0a000000000000002", 400)]
    [InlineData("ec2-describe-instance-attribute", "Action=DescribeInstanceAttribute&Version=2016-11-15&InstanceId=i-0a000000000000002&Attribute=sourceDestCheck", 200)]
    [InlineData("ec2-stop-instances", "Action=StopInstances&Version=2016-11-15&InstanceId.1=i-0b000000000000001", 200)]
    [InlineData("cw-put-metric-data", "Action=PutMetricData&Version=2010-08-01&Namespace=RomanaAws&MetricData.member.1.MetricName=RouteFailovers&MetricData.member.1.Value=1&MetricData.member.1.Unit=Count", 200)]
    [InlineData("cw-error-reserved-namespace", "Action=PutMetricData&Version=2010-08-01&Namespace=AWS%2FEC2&MetricData.member.1.MetricName=X&MetricData.member.1.Value=1", 400)]
    public async Task Response_MatchesGolden(string name, string form, int status)
    {
        await using var sim = await SimFixture.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, sim.Simulator.Endpoint)
        {
            Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR/20261123/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        var actual = Normalize(await response.Content.ReadAsStringAsync());
        var path = Path.Combine(GoldenDirectory(), name + ".xml");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(path, actual);
        }

        Assert.Equal(Normalize(await File.ReadAllTextAsync(path)), actual);
    }

    /// <summary>Pretty-printed, with request ids and timestamps replaced, so only structure and values are compared.</summary>
    private static string Normalize(string xml)
    {
        var text = XDocument.Parse(xml).ToString();
        text = RequestId().Replace(text, "$1REQUEST-ID$2");
        return Timestamp().Replace(text, "TIMESTAMP").ReplaceLineEndings("\n").Trim() + "\n";
    }

    private static string GoldenDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "RomanaAws.VpcSim.Tests", "Golden");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/RomanaAws.VpcSim.Tests/Golden not found above the test binaries");
    }

    [GeneratedRegex("(<(?:requestId|RequestID|RequestId)>)[^<]+(</)")]
    private static partial Regex RequestId();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")]
    private static partial Regex Timestamp();
}
