"""The core demo steps: organisations, users, projects (imported by ``demo_steps()``, see ``step_modules``)."""

from __future__ import annotations

from tuijin.demo import load
from tuijin.demo.generate import ProjectGenerator, generate_users
from tuijin.demo.steps import DemoStep, GenerationContext, register_step


def _generate_users(ctx: GenerationContext):
    return generate_users(ctx.facts, ctx.seed)


def _generate_projects(ctx: GenerationContext):
    return ProjectGenerator(ctx.facts, seed=ctx.seed, projects=ctx.projects).run()


register_step(DemoStep(name="orgs", label="组织机构（市、部门、16个区县（市）/开发区）", order=0,
                       load=load.load_orgs, reset=load.reset_orgs))
register_step(DemoStep(name="users", label="演示账号", order=10, generate=_generate_users,
                       load=load.load_users, reset=load.reset_users))
register_step(DemoStep(name="projects", label="项目库（项目、标签、年度计划、审批事项、阶段变更）", order=20,
                       generate=_generate_projects, load=load.load_projects, reset=load.reset_projects))
