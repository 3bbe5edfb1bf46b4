using System.Net;
using System.Text;
using Amazon.EC2.Model;
using Microsoft.Extensions.Logging;

namespace RomanaAws.VpcSim.Tests.Ec2;

/// <summary>Malformed and hostile Query requests over real HTTP: each gets an AWS-style XML error and a log line, never an empty 500.</summary>
public sealed class HostileRequestTests
{
    private const string Describe = "Action=DescribeVpcs&Version=2016-11-15";

    [Theory]
    [InlineData(Describe + "&VpcId.1=vpc-%01", "")]
    [InlineData(Describe, "?VpcId.1=vpc-%00")]
    [InlineData("Action=Describe%01Vpcs&Version=2016-11-15", "")]
    [InlineData(Describe + "&Filter.1.Name=tag%3AName&Filter.1.Value.1=%1B%5B31m", "")]
    public async Task Post_ControlCharacter_InvalidParameterValue400(string form, string query)
    {
        await using var sim = await SimFixture.StartAsync();
        var (status, code, message, _) = await RawQuery.PostAsync(sim.Simulator.Endpoint, form, query);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterValue"), (status, code));
        Assert.Contains("control character", message, StringComparison.Ordinal);
        Assert.Contains(@"\u00", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_TooManyFormValues_MalformedQueryString400AndLogged()
    {
        var log = new CapturingLoggerProvider();
        await using var sim = await SimFixture.StartAsync(logging: log);
        var form = Describe + string.Concat(Enumerable.Range(1, 20_000).Select(i => $"&VpcId.{i}=vpc-0000000{i % 10}"));
        var (status, code, message, _) = await RawQuery.PostAsync(sim.Simulator.Endpoint, form);
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedQueryString"), (status, code));
        Assert.Contains("10000", message, StringComparison.Ordinal);
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("MalformedQueryString", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_OversizeBody_413WithXmlError()
    {
        await using var sim = await SimFixture.StartAsync();
        var form = Describe + "&Filter.1.Name=tag%3AName&Filter.1.Value.1=" + new string('a', 9 * 1024 * 1024);
        var (status, code, message, _) = await RawQuery.PostAsync(sim.Simulator.Endpoint, form, expectContinue: true);
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge"), (status, code));
        Assert.Contains("8388608", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_LongValue_EchoIsCappedWithFullLength()
    {
        await using var sim = await SimFixture.StartAsync();
        var id = "vpc-" + new string('f', 100_000);
        var (status, code, message, _) = await RawQuery.PostAsync(sim.Simulator.Endpoint, Describe + "&VpcId.1=" + id);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidVpcID.NotFound"), (status, code));
        Assert.Contains("…(100004 characters)", message, StringComparison.Ordinal);
        Assert.True(message!.Length < 400, message);
    }

    [Theory]
    [InlineData("Action=DescribeVpcs", "MissingParameter", "Version")]
    [InlineData("Version=2016-11-15", "MissingAction", "Action")]
    [InlineData("Action=FlyToTheMoon&Version=2016-11-15", "InvalidAction", "FlyToTheMoon")]
    [InlineData("Action=DescribeVpcs&Version=2016-11-15&Version=2016-11-15", "InvalidParameterValue", "Version")]
    [InlineData("Action=DescribeVpcs&Version=2016-11-15&VpcId.1=a&VpcId.1=b", "InvalidParameterValue", "VpcId.1")]
    [InlineData("Action=DescribeVpcs&Version=2016-11-15&MaxResults=99999999999999", "InvalidParameterValue", "MaxResults")]
    [InlineData("Action=DescribeVpcs&Version=2016-11-15&MaxResults=-1", "InvalidParameterValue", "maxResults")]
    [InlineData("Action=DescribeVpcs&Version=2016-11-15&MaxResults=5&NextToken=LTU%3D", "InvalidNextToken", "LTU=")]
    [InlineData("Action=DescribeVpcs&Version=2016-11-15&MaxResults=5&NextToken=OTk5OTk5OTk5OTk5OTk5", "InvalidNextToken", "OTk5")]
    [InlineData("Action=RunInstances&Version=2016-11-15&SubnetId=subnet-0a1a1a1a1a1a1a1a1&MinCount=1&MaxCount=99999999999", "InvalidParameterValue", "MaxCount")]
    [InlineData("Action=CreateRoute&Version=2016-11-15&RouteTableId=rtb-0a0a0a0a0a0a0a0a1&DestinationCidrBlock=100.96%2F16&GatewayId=igw-00000001", "InvalidParameterValue", "100.96/16")]
    [InlineData("Action=CreateRoute&Version=2016-11-15&RouteTableId=rtb-0a0a0a0a0a0a0a0a1&DestinationCidrBlock=%20100.96.0.0%2F16&GatewayId=igw-00000001", "InvalidParameterValue", "100.96.0.0/16")]
    [InlineData("Action=CreateRoute&Version=2016-11-15&RouteTableId=rtb-0a0a0a0a0a0a0a0a1&DestinationCidrBlock=010.96.0.0%2F16&GatewayId=igw-00000001", "InvalidParameterValue", "010.96.0.0/16")]
    [InlineData("Action=CreateRoute&Version=2016-11-15&RouteTableId=rtb-0a0a0a0a0a0a0a0a1&DestinationCidrBlock=100.96.0.0%2F016&GatewayId=igw-00000001", "InvalidParameterValue", "100.96.0.0/016")]
    [InlineData("Action=CreateTags&Version=2016-11-15&ResourceId.1=vpc-0a0a0a0a0a0a0a0a0&Tag.1.Key=k&Tag.1.Value=" + "v257", "InvalidParameterValue", "256")]
    [InlineData("Action=GetMetricStatistics&Version=2010-08-01&Namespace=N&MetricName=M&StartTime=0001-01-01T00:00:00Z&EndTime=9999-12-31T00:00:00Z&Period=1&Statistics.member.1=Sum", "InvalidParameterCombination", "1440")]
    [InlineData("Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a&Namespace=N&MetricName=M&Statistic=Sum&ComparisonOperator=GreaterThanThreshold&Period=60&EvaluationPeriods=1&Threshold=1&DatapointsToAlarm=5", "ValidationError", "DatapointsToAlarm")]
    [InlineData("Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a&Namespace=N&MetricName=M&Statistic=Sum&ComparisonOperator=GreaterThanThreshold&Period=60&EvaluationPeriods=2&Threshold=1&DatapointsToAlarm=-3", "ValidationError", "DatapointsToAlarm")]
    public async Task Post_MalformedInput_AnsweredAsEc2Would(string form, string expectedCode, string named)
    {
        await using var sim = await SimFixture.StartAsync();
        form = form.Replace("v257", new string('v', 257), StringComparison.Ordinal);
        var (status, code, message, _) = await RawQuery.PostAsync(sim.Simulator.Endpoint, form);
        Assert.Equal((HttpStatusCode.BadRequest, expectedCode), (status, code));
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multipart_OversizeOrBroken_AnsweredWithXml()
    {
        await using var sim = await SimFixture.StartAsync();
        using var broken = new StringContent("--x\r\nContent-Disposition: form-data; name=\"Action\"\r\n\r\nDescribeVpcs", Encoding.UTF8);
        broken.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        var (status, code, _, _) = await RawQuery.PostAsync(sim.Simulator.Endpoint, broken);
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedQueryString"), (status, code));
    }

    [Fact]
    public async Task Sdk_AfterHostileRequests_StillServes()
    {
        await using var sim = await SimFixture.StartAsync();
        await RawQuery.PostAsync(sim.Simulator.Endpoint, Describe + "&VpcId.1=%00");
        Assert.Single((await sim.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs);
    }
}
