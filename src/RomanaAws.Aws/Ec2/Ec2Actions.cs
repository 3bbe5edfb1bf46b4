namespace RomanaAws.Aws.Ec2;

/// <summary>The EC2 API actions <see cref="Ec2Api"/> calls, for the IAM policy and its test.</summary>
public static class Ec2Actions
{
    public static IReadOnlyList<string> Describe { get; } = ["DescribeInstances", "DescribeRouteTables", "DescribeInstanceStatus"];

    public static IReadOnlyList<string> Mutating { get; } = ["CreateRoute", "ReplaceRoute", "DeleteRoute", "ModifyNetworkInterfaceAttribute"];
}
