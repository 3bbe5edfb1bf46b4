namespace RomanaAws.Controller.Configuration;

/// <summary>The valid range of a numeric setting, checked by <see cref="SettingsBinder"/> as the value is read.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingRangeAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;

    public double Max { get; } = max;

    /// <summary>Whether the minimum itself is allowed (false: strictly above it).</summary>
    public bool MinInclusive { get; init; } = true;
}
