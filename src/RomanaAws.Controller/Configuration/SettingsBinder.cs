using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using RomanaAws.Core.Configuration;

namespace RomanaAws.Controller.Configuration;

/// <summary>
/// Reads the service sections (<c>aws:</c>, <c>controller:</c>, <c>health:</c>, <c>metrics:</c>) strictly from the merged
/// configuration (file, then environment, then command line), and reports every problem as a <see cref="ConfigError"/>
/// naming the key, where its value came from (file line, environment variable or switch), the value, and what would be
/// valid — the same error model as the topology. Microsoft.Extensions.Configuration's binder is not used for these:
/// it throws on a wrong type (without the key's origin), silently takes a list for a number, and appends a configured
/// list to the default one instead of replacing it.
/// </summary>
internal sealed class SettingsBinder(IConfigurationRoot configuration, IReadOnlyDictionary<string, int> fileLines)
{
    public List<ConfigError> Errors { get; } = [];

    public T Bind<T>(string section)
        where T : new()
    {
        var settings = new T();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{section}:{char.ToLowerInvariant(property.Name[0])}{property.Name[1..]}";
            var node = configuration.GetSection(key);
            var hasChildren = node.GetChildren().Any();
            if (node.Value is null && !hasChildren)
            {
                continue;
            }

            if (property.PropertyType == typeof(List<string>))
            {
                if (node.Value is { Length: > 0 } || !hasChildren && node.Value is null)
                {
                    Report(key, node.Value, "must be a list, such as [a, b]");
                    continue;
                }

                var items = node.GetChildren().OrderBy(c => int.TryParse(c.Key, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue).ToList();
                if (items.Any(c => c.Value is null))
                {
                    Report(key, null, "must be a list of plain values, not of lists or mappings");
                    continue;
                }

                property.SetValue(settings, items.Select(c => c.Value!).ToList());
                continue;
            }

            if (hasChildren)
            {
                Report(key, null, $"must be a single {Kind(property.PropertyType)}, not a list or mapping");
                continue;
            }

            if (Parse(property, key, node.Value!) is { } value)
            {
                property.SetValue(settings, value);
            }
        }

        return settings;
    }

    /// <summary>A problem found by a settings validator, given its key's origin like the binder's own.</summary>
    public void Report(SettingProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Report(problem.Key, problem.Value, problem.Message);
    }

    private object? Parse(PropertyInfo property, string key, string text)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var range = property.GetCustomAttribute<SettingRangeAttribute>();
        if (type == typeof(string))
        {
            return text;
        }

        if (type == typeof(bool))
        {
            if (bool.TryParse(text, out var flag))
            {
                return flag;
            }

            Report(key, text, "must be true or false");
            return null;
        }

        if (type == typeof(int))
        {
            var valid = range is null ? "a whole number" : $"a whole number from {range.Min:0} to {range.Max:0}";
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                Report(key, text, $"must be {valid}");
                return null;
            }

            return InRange(key, text, number, range, valid) ? number : null;
        }

        if (type == typeof(double))
        {
            var valid = range is null ? "a number" : $"a number {(range.MinInclusive ? "from" : "above")} {range.Min.ToString(CultureInfo.InvariantCulture)} {(range.MinInclusive ? "to" : "and at most")} {range.Max.ToString(CultureInfo.InvariantCulture)}";
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            {
                Report(key, text, $"must be {valid}");
                return null;
            }

            return InRange(key, text, number, range, valid) ? number : null;
        }

        throw new NotSupportedException($"setting {key}: type {type.Name} has no reader");
    }

    private bool InRange(string key, string text, double number, SettingRangeAttribute? range, string valid)
    {
        if (range is null || ((range.MinInclusive ? number >= range.Min : number > range.Min) && number <= range.Max))
        {
            return true;
        }

        Report(key, text, $"must be {valid}");
        return false;
    }

    private static string Kind(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(int) => "whole number",
            var t when t == typeof(double) => "number",
            var t when t == typeof(bool) => "true or false",
            _ => "value",
        };

    private void Report(string key, string? value, string message)
    {
        var path = key.Replace(':', '.');
        var provider = configuration.Providers.Reverse().FirstOrDefault(p => p.TryGet(key, out _) || p.GetChildKeys([], key).Any());
        var error = provider switch
        {
            EnvironmentVariablesConfigurationProvider => new ConfigError($"{path} (environment variable ROMANA_{key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant()})", null, value, message),
            CommandLineConfigurationProvider => new ConfigError($"{path} (command line --{key})", null, value, message),
            _ => new ConfigError(path, fileLines.TryGetValue(key, out var line) ? line : null, value, message),
        };
        Errors.Add(error);
    }
}
