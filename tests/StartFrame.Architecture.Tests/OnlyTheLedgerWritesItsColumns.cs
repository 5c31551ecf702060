using Mono.Cecil;
using Mono.Cecil.Cil;
using StartFrame.Core.Ledger;

namespace StartFrame.Architecture.Tests;

/// <summary>
/// A stage states what happened (<c>RecordTaskAsync</c>, <c>ClaimCompletionAsync</c>, …) and only the ledger knows which
/// columns that sets: no code outside <c>StartFrame.Core.Ledger</c>, in any project, calls a setter of a ledger row.
/// Read from the IL, so an object initializer or a <c>with</c> counts as much as an assignment.
/// </summary>
public sealed class OnlyTheLedgerWritesItsColumns
{
    private static readonly string[] Assemblies =
    [
        typeof(LedgerEntry).Assembly.Location,
        typeof(Core.StartFrameOptions).Assembly.Location,
        typeof(LocalDev.RepoLayout).Assembly.Location,
        typeof(Functions.StartFrameFunctionsApp).Assembly.Location,
        System.Reflection.Assembly.Load("startframe").Location,
    ];

    private static readonly string[] Rows = [typeof(LedgerEntry).FullName!, typeof(OwedRecordMarker).FullName!];

    [Fact]
    public void No_code_outside_the_ledger_sets_a_ledger_column()
    {
        var offenders = Assemblies.Distinct().SelectMany(SettersCalledOutsideTheLedger).Distinct().Order().ToList();

        Assert.True(offenders.Count == 0, "ledger columns set outside StartFrame.Core.Ledger:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_scan_sees_the_ledger_setting_its_own_columns()
    {
        // The rule above is only as good as its reading of the IL: the ledger itself must be seen setting columns.
        using var module = ModuleDefinition.ReadModule(typeof(LedgerEntry).Assembly.Location);
        var inLedger = Calls(module).Where(c => c.Caller.DeclaringType.Namespace == "StartFrame.Core.Ledger" && IsRowSetter(c.Callee)).ToList();

        Assert.Contains(inLedger, c => c.Callee.Name == "set_TaskId");
        Assert.Contains(inLedger, c => c.Callee.Name == "set_TrackingState");
    }

    private static IEnumerable<string> SettersCalledOutsideTheLedger(string path)
    {
        using var module = ModuleDefinition.ReadModule(path);
        return Calls(module)
            .Where(c => IsRowSetter(c.Callee) && !IsInLedger(c.Caller.DeclaringType))
            .Select(c => $"{c.Caller.DeclaringType.FullName}.{c.Caller.Name} sets {c.Callee.DeclaringType.Name}.{c.Callee.Name[4..]}")
            .ToList();
    }

    private static IEnumerable<(MethodDefinition Caller, MethodReference Callee)> Calls(ModuleDefinition module) =>
        from type in module.GetTypes()
        from method in type.Methods
        where method.HasBody
        from instruction in method.Body.Instructions
        where instruction.OpCode == OpCodes.Call || instruction.OpCode == OpCodes.Callvirt
        let callee = instruction.Operand as MethodReference
        where callee is not null
        select (method, callee);

    private static bool IsRowSetter(MethodReference method) =>
        method.Name.StartsWith("set_", StringComparison.Ordinal) && Rows.Contains(method.DeclaringType.FullName);

    private static bool IsInLedger(TypeDefinition type)
    {
        // Nested (compiler-generated) types of a ledger class, e.g. its async state machines, are the ledger too.
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace == "StartFrame.Core.Ledger";
    }
}
