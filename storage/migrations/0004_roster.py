from tortoise import migrations
from tortoise.migrations import operations as ops
from lms_plugin.storage.enums import GroupRegistrationStatus, ImportStatus, RosterLayout
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_school_code')]

    initial = False

    operations = [
        ops.CreateModel(
            name='GroupRegistration',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('program', fields.ForeignKeyField('models.Program', source_field='program_id', db_constraint=True, to_field='id', related_name='group_registrations', on_delete=OnDelete.CASCADE)),
                ('school', fields.ForeignKeyField('models.School', source_field='school_id', db_constraint=True, to_field='id', related_name='group_registrations', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(description='PENDING: pending\nRETURNED: returned\nAPPROVED: approved', enum_type=GroupRegistrationStatus, max_length=16)),
                ('return_reason', fields.CharField(null=True, max_length=500)),
                ('enrolled_count', fields.IntField(default=0)),
                ('refused_count', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'group_registration', 'app': 'models', 'unique_together': (('program', 'school'),), 'pk_attr': 'id', 'table_description': "A school's list of teachers for a program, reviewed by its county."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GroupRegistrationEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('registration', fields.ForeignKeyField('models.GroupRegistration', source_field='registration_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.CASCADE)),
                ('teacher', fields.ForeignKeyField('models.Person', source_field='teacher_id', db_constraint=True, to_field='id', related_name='group_entries', on_delete=OnDelete.CASCADE)),
                ('refusal_code', fields.CharField(null=True, max_length=32)),
                ('refusal_message', fields.CharField(null=True, max_length=255)),
                ('enrolled', fields.BooleanField(default=False)),
            ],
            options={'table': 'group_registration_entry', 'app': 'models', 'unique_together': (('registration', 'teacher'),), 'pk_attr': 'id', 'table_description': 'One teacher of the list, and after approval what became of them (enrolled or why not).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GroupRegistrationStep',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('registration', fields.ForeignKeyField('models.GroupRegistration', source_field='registration_id', db_constraint=True, to_field='id', related_name='steps', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(description='PENDING: pending\nRETURNED: returned\nAPPROVED: approved', enum_type=GroupRegistrationStatus, max_length=16)),
                ('by', fields.ForeignKeyField('models.Person', source_field='by_id', db_constraint=True, to_field='id', related_name='group_steps', on_delete=OnDelete.RESTRICT)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reason', fields.CharField(null=True, max_length=500)),
            ],
            options={'table': 'group_registration_step', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Who did what to a group registration, and when: submitted, returned (with the reason),'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ImportJob',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('layout', fields.CharEnumField(description='ROSTER: roster', enum_type=RosterLayout, max_length=16)),
                ('uploaded_by', fields.ForeignKeyField('models.Person', source_field='uploaded_by_id', db_constraint=True, to_field='id', related_name='import_jobs', on_delete=OnDelete.RESTRICT)),
                ('upload', fields.ForeignKeyField('models.Attachment', source_field='upload_id', null=True, db_constraint=True, to_field='id', related_name='import_jobs', on_delete=OnDelete.SET_NULL)),
                ('filename', fields.CharField(max_length=255)),
                ('dry_run', fields.BooleanField()),
                ('import_good_rows', fields.BooleanField()),
                ('status', fields.CharEnumField(description='RUNNING: running\nSUCCEEDED: succeeded\nREFUSED: refused\nFAILED: failed\nINTERRUPTED: interrupted', enum_type=ImportStatus, max_length=16)),
                ('total_rows', fields.IntField(default=0)),
                ('error_rows', fields.IntField(default=0)),
                ('created_count', fields.IntField(default=0)),
                ('updated_count', fields.IntField(default=0)),
                ('unchanged_count', fields.IntField(default=0)),
                ('progress', fields.SmallIntField(default=0)),
                ('message', fields.CharField(null=True, max_length=255)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('heartbeat_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'import_job', 'app': 'models', 'indexes': [Index(fields=['status', 'heartbeat_at'])], 'pk_attr': 'id', 'table_description': 'One import of an uploaded sheet: its counts, its progress and its row errors.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ImportRowError',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.ForeignKeyField('models.ImportJob', source_field='job_id', db_constraint=True, to_field='id', related_name='row_errors', on_delete=OnDelete.CASCADE)),
                ('row', fields.IntField()),
                ('column', fields.CharField(null=True, max_length=64)),
                ('code', fields.CharField(max_length=32)),
                ('message', fields.CharField(max_length=255)),
            ],
            options={'table': 'import_row_error', 'app': 'models', 'indexes': [Index(fields=['job_id', 'row'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='School',
            options={'table': 'school', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A school, known to the province by its code (学校代码), which rosters name it by.'},
        ),
    ]
