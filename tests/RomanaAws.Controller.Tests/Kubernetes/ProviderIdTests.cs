using RomanaAws.Controller.Kubernetes;

namespace RomanaAws.Controller.Tests.Kubernetes;

public sealed class ProviderIdTests
{
    [Theory]
    [InlineData("aws:///us-east-1a/i-0123456789abcdef0", "us-east-1a", "i-0123456789abcdef0")]
    [InlineData("aws:///eu-central-1b/i-0a1b2c3d", "eu-central-1b", "i-0a1b2c3d")]
    [InlineData("aws:///us-gov-west-1a/i-0123456789abcdef0", "us-gov-west-1a", "i-0123456789abcdef0")]
    [InlineData("aws:////i-0123456789abcdef0", null, "i-0123456789abcdef0")]
    public void TryParse_AwsForms_ZoneAndInstance(string value, string? zone, string instance)
    {
        Assert.True(ProviderId.TryParse(value, out var id, out var error), error);
        Assert.Equal((zone, instance), (id.Zone, id.InstanceId));
    }

    [Theory]
    [InlineData(null, "providerID is empty")]
    [InlineData("", "providerID is empty")]
    [InlineData("gce://project/us-central1-a/node-1", "providerID \"gce://project/us-central1-a/node-1\" is not an AWS provider ID")]
    [InlineData("i-0123456789abcdef0", "is not an AWS provider ID")]
    [InlineData("aws:///i-0123456789abcdef0", "must have a zone and an instance id after aws:///")]
    [InlineData("aws:///us-east-1a/x/i-0123456789abcdef0", "must have a zone and an instance id")]
    [InlineData("aws:///US-EAST-1A/i-0123456789abcdef0", "\"US-EAST-1A\" is not an availability zone name")]
    [InlineData("aws:///us-east-1a/i-0123", "\"i-0123\" is not an EC2 instance id")]
    [InlineData("aws:///us-east-1a/fargate-ip-10-0-0-1.ec2.internal", "is not an EC2 instance id")]
    public void TryParse_OtherForms_RefusedNamingTheValueAndTheValidForm(string? value, string expected)
    {
        Assert.False(ProviderId.TryParse(value, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("expected aws:///ZONE/INSTANCE-ID, such as aws:///us-east-1a/i-0123456789abcdef0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_IsTheProviderId() =>
        Assert.Equal("aws:///us-east-1a/i-0123456789abcdef0", new ProviderId("us-east-1a", "i-0123456789abcdef0").ToString());
}
