using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.Aws.Ec2;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Aws.Tests.Ec2;

/// <summary>An endpoint that answers 200 with something that is not an EC2 response, met by the real AWSSDK.EC2 client.</summary>
public sealed class MalformedResponseTests
{
    public static TheoryData<string> Bodies() => new() { "random", "cut-off", "html" };

    private static byte[] Body(string kind) => kind switch
    {
        "random" => Enumerable.Range(0, 512).Select(i => (byte)((i * 7919) ^ (i >> 3))).ToArray(),
        "cut-off" => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>i-0"u8.ToArray(),
        _ => "<html><body><h1>Welcome to nginx!</h1><br></body></html>"u8.ToArray(),
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Describe_MalformedAnswer_ClassifiedNamingActionAndEndpoint(string kind)
    {
        await using var server = new CannedHttpServer(Body(kind));
        var options = new AwsOptions { Region = "us-east-1", Ec2ServiceUrl = server.Url, MaxRetries = 0 };
        using var api = new Ec2Api(Ec2ClientFactory.Create(options), options, TimeProvider.System, NullLogger<Ec2Api>.Instance);
        var ex = await Assert.ThrowsAsync<Ec2ApiException>(() => api.DescribeClusterInstancesAsync("c1", CancellationToken.None));
        Assert.Equal(Ec2ErrorKind.MalformedResponse, ex.Kind);
        Assert.Contains("DescribeInstances", ex.Message, StringComparison.Ordinal);
        Assert.Contains(server.Url.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.True(server.Requests >= 1);
    }
}
